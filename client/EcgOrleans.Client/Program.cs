using System.Runtime.InteropServices;
using EcgOrleans.Client;
using EcgOrleans.Client.Output;
using Spectre.Console;

// Into a file or a pipe, Spectre would wrap every line at 80 columns, mid-sentence: a log line stays whole instead.
if (Console.IsOutputRedirected) AnsiConsole.Console = RedirectedOutput.Create(Console.Out);

// The first Ctrl+C asks the running command to stop cleanly (a live session prints its summary); a second one ends the process.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};
// SIGTERM (kill, a service manager, a container stop) asks for the same clean stop. Without this the Orleans client's
// console lifetime takes the signal: it stops the connection while the command goes on retrying, and never exits.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});
return await EcgApp.Create().RunAsync(args, cancellation.Token);
