using EcgOrleans.Client;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary>Runs the <c>ecg</c> command line in this process, as a user would run the program.</summary>
internal static class Cli
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>Runs a command; its exceptions propagate (so a failure shows its cause), and it may not run past <see cref="Limit"/>.</summary>
    public static Task<int> RunAsync(params string[] args) =>
        EcgApp.Create(propagateExceptions: true).RunAsync(args, CancellationToken.None).WaitAsync(Limit);

    /// <summary>Runs a command that prints to standard output (JSON) and returns what it printed.</summary>
    public static async Task<string> OutputOfAsync(params string[] args)
    {
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            Assert.Equal(0, await RunAsync(args));
        }
        finally
        {
            Console.SetOut(original);
        }
        return captured.ToString();
    }
}
