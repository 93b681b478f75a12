using EcgOrleans.Client;

// The first Ctrl+C asks the running command to stop cleanly (a live session prints its summary); a second one ends the process.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};
return await EcgApp.Create().RunAsync(args, cancellation.Token);
