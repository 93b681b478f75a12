using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Bench.Kernels;
using EcgOrleans.Ml.Saliency;

// The pipeline's kernels, each beside its limit. Usage:
//   dotnet run -c Release --project bench/EcgOrleans.Bench.Kernels -- [--filter '*'] [--data DIR] [other BenchmarkDotNet options]
// --data defaults to $ECG_MITDB, else ../shared/data/mitdb beside the repository.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var (data, switcherArgs) = Arguments.Split(args);
if (!File.Exists(Path.Combine(data, "100.hea")))
{
    Console.Error.WriteLine($"MIT-BIH not found at {data} (no 100.hea): pass --data DIR or set ECG_MITDB");
    return 2;
}
KernelData.MitBih = data;
// LibTorch's thread count is process-wide and must be set before any tensor work; the benchmarks run in this process.
TorchThreads.Configure(1);
Console.WriteLine($"data {data}; {Environment.ProcessorCount} cores; load average {Arguments.LoadAverage()} at start");

var summaries = BenchmarkSwitcher.FromAssembly(typeof(KernelData).Assembly).Run(switcherArgs, DefaultConfig.Instance).ToList();
if (summaries.Count == 0) return 0; // --list, --help: nothing was measured
Console.WriteLine();
Console.WriteLine($"load average {Arguments.LoadAverage()} at end");
Console.WriteLine();
foreach (var line in LimitTable.Lines(summaries)) Console.WriteLine(line);
return 0;

internal static class Arguments
{
    /// <summary>Takes --data out of the arguments; without a --filter, runs everything instead of asking.</summary>
    public static (string Data, string[] Remaining) Split(string[] args)
    {
        var rest = new List<string>();
        string? data = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--data" && i + 1 < args.Length) data = args[++i];
            else rest.Add(args[i]);
        }
        if (!rest.Any(a => a is "--filter" or "-f" or "--list" or "--help" or "-h" or "--info")) rest.AddRange(["--filter", "*"]);
        data ??= Environment.GetEnvironmentVariable("ECG_MITDB") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(KernelData.RepoRoot, "..", "shared", "data", "mitdb");
        return (Path.GetFullPath(data), [.. rest]);
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
