using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace EcgOrleans.Bench;

/// <summary>
/// bench/pytorch/anchor.py running in --serve mode: it loads the exported models once, then calibrates and
/// times runs on request, so that TorchSharp and PyTorch repetitions can alternate and see the same machine load.
/// </summary>
internal sealed class PyTorchAnchor : IDisposable
{
    private readonly Process process;

    private PyTorchAnchor(Process process) => this.process = process;

    public static string ScriptPath => Path.Combine(RepositoryRoot(), "bench", "pytorch", "anchor.py");

    /// <param name="settings">anchor.py's --layout and --heap, so that PyTorch can run with and without what EcgOrleans.Ml does.</param>
    public static PyTorchAnchor Start(string python, IEnumerable<string> exports, int rowsPerPass, IEnumerable<string> settings)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(ScriptPath);
        foreach (var setting in settings) start.ArgumentList.Add(setting);
        start.ArgumentList.Add("--serve");
        start.ArgumentList.Add("--rows-per-pass");
        start.ArgumentList.Add(rowsPerPass.ToString(CultureInfo.InvariantCulture));
        foreach (var export in exports) start.ArgumentList.Add(export);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        var anchor = new PyTorchAnchor(process);
        // anchor.py first prints its version and one "same model" check per export, then "ready".
        while (anchor.ReadLine() is var line && !line.Contains("\"ready\"", StringComparison.Ordinal))
        {
            Console.WriteLine($"PyTorch {line}");
            if (line.Contains("\"ok\": false", StringComparison.Ordinal))
                throw new InvalidOperationException($"PyTorch does not reproduce TorchSharp's outputs: {line}");
        }
        return anchor;
    }

    /// <summary>Warms up a configuration and returns the calls that take about <paramref name="seconds"/>.</summary>
    public int Calibrate(string mode, int length, int threads, int workers, int warmupCalls, double seconds) =>
        (int)Ask(new JsonObject { ["cmd"] = "calibrate", ["mode"] = mode, ["length"] = length, ["threads"] = threads,
            ["workers"] = workers, ["warmup"] = warmupCalls, ["seconds"] = seconds })["calls"]!.GetValue<int>();

    /// <summary>Seconds for every worker to make <paramref name="calls"/> calls.</summary>
    public double Run(string mode, int length, int threads, int workers, int calls) =>
        Ask(new JsonObject { ["cmd"] = "run", ["mode"] = mode, ["length"] = length, ["threads"] = threads,
            ["workers"] = workers, ["calls"] = calls })["seconds"]!.GetValue<double>();

    /// <summary>Runs anchor.py's --explore variants (separately: they are not interleaved).</summary>
    public static void Explore(string python, IEnumerable<string> exports, IEnumerable<string> settings, IEnumerable<int> threads, int repetitions, double seconds, int warmup)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { ScriptPath, "--explore-only" }.Concat(settings).Concat(new[] { "--threads", string.Join(',', threads), "--repetitions", repetitions.ToString(CultureInfo.InvariantCulture),
                     "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--warmup", warmup.ToString(CultureInfo.InvariantCulture) }).Concat(exports))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        while (process.StandardOutput.ReadLine() is { } line) Console.WriteLine($"PyTorch {line}");
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.StandardInput.WriteLine("{\"cmd\": \"quit\"}");
            process.StandardInput.Flush();
            process.WaitForExit(10_000);
        }
        process.Dispose();
    }

    private JsonNode Ask(JsonObject request)
    {
        process.StandardInput.WriteLine(request.ToJsonString());
        process.StandardInput.Flush();
        var reply = JsonNode.Parse(ReadLine()) ?? throw new InvalidOperationException("anchor.py sent an empty reply");
        return reply["error"] is { } error ? throw new InvalidOperationException($"anchor.py: {error}") : reply;
    }

    private string ReadLine() =>
        process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"anchor.py exited (code {(process.HasExited ? process.ExitCode : -1)})");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EcgOrleans.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no EcgOrleans.sln above {AppContext.BaseDirectory}");
    }
}
