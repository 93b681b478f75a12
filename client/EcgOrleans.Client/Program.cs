using EcgOrleans.Client;
using Spectre.Console;

// Into a file or a pipe, Spectre would wrap every line at 80 columns, mid-sentence: a log line stays whole instead.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = EcgApp.RedirectedWidth;

// The first Ctrl+C asks the running command to stop cleanly (a live session prints its summary); a second one ends the process.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};
return await EcgApp.Create().RunAsync(args, cancellation.Token);
