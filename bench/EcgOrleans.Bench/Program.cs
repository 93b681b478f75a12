using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EcgOrleans.Bench;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

// Throughput of the Kachuee CNN through BeatScorer (what the ModelGrain calls) against PyTorch on the same
// model, weights and batch. See bench/README.md.
var options = BenchOptions.Parse(args);
var settings = new ThroughputSettings(options.Repetitions, options.Seconds, options.Warmup);
Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}; cores: {Environment.ProcessorCount}; "
    + $"batch {options.Batch}; {options.Repetitions} repetitions of ~{options.Seconds} s, median reported");

Console.WriteLine(ThreadCheck());
var results = new List<Measurement>();
var exports = new List<string>();
foreach (var length in options.Lengths)
{
    manual_seed(42);
    var model = new KachueeCnn(length, RhythmFeatures.Count);
    var (waveforms, rhythm) = Inputs(options.Batch, length, RhythmFeatures.Count, seed: 7);
    var inference = new BeatScorer(model, new VanillaGradient());
    exports.Add(Export(options.OutputDirectory, model, waveforms, rhythm));
    if (options.Explore)
    {
        foreach (var threads in options.Threads)
        {
            var copy = new KachueeCnn(length, RhythmFeatures.Count);
            copy.load_state_dict(model.state_dict());
            Variants.Run(copy, waveforms, rhythm, options.Batch, threads, settings);
        }
    }

    foreach (var threads in options.Threads)
    {
        set_num_threads(threads);
        results.Add(Measure("inference", length, threads, 1, [() => inference.Classify(waveforms, rhythm)]));
        results.Add(Measure("inference+vanilla", length, threads, 1, [() => inference.Score(waveforms, rhythm)]));
    }
    if (options.Workers > 1)
    {
        // The ModelGrain pattern: one model instance per worker thread, one intra-op thread each.
        set_num_threads(1);
        var scorers = Enumerable.Range(0, options.Workers).Select(_ =>
        {
            var copy = new KachueeCnn(length, RhythmFeatures.Count);
            copy.load_state_dict(model.state_dict());
            return new BeatScorer(copy, new VanillaGradient());
        }).ToList();
        results.Add(Measure("inference", length, 1, options.Workers, [.. scorers.Select(s => (Action)(() => s.Classify(waveforms, rhythm)))]));
        results.Add(Measure("inference+vanilla", length, 1, options.Workers, [.. scorers.Select(s => (Action)(() => s.Score(waveforms, rhythm)))]));
    }
}

var anchor = options.PyTorch ? PyTorchAnchor.Run(options, exports) : [];
Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine();
Console.WriteLine($"| model | mode | intra-op threads x workers | TorchSharp beats/s | PyTorch beats/s | TorchSharp / PyTorch |");
Console.WriteLine($"| --- | --- | --- | ---: | ---: | ---: |");
foreach (var m in results)
{
    var py = anchor.FirstOrDefault(a => a.Mode == m.Mode && a.Length == m.Length && a.Threads == m.Threads && a.Workers == m.Workers);
    var pyText = py is null ? "-" : py.Median.ToString("N0", CultureInfo.InvariantCulture);
    var ratio = py is null ? "-" : (m.Median / py.Median).ToString("F2", CultureInfo.InvariantCulture);
    Console.WriteLine($"| kachuee L={m.Length} R={RhythmFeatures.Count} | {m.Mode} | {m.Threads} x {m.Workers} | "
        + $"{m.Median.ToString("N0", CultureInfo.InvariantCulture)} | {pyText} | {ratio} |");
}
return 0;

Measurement Measure(string mode, int length, int threads, int workers, Action[] actions)
{
    var rates = workers == 1 ? Throughput.Measure(actions[0], options.Batch, settings) : Throughput.MeasureParallel(actions, options.Batch, settings);
    var m = new Measurement(mode, length, threads, workers, rates);
    Console.WriteLine($"TorchSharp L={length} {mode,-18} threads {threads} x {workers} workers: median {m.Median,8:N0} beats/s "
        + $"(min {rates.Min():N0}, max {rates.Max():N0})");
    return m;
}

// What a thread sees of torch.set_num_threads called on another thread, before and after its first tensor work.
static string ThreadCheck()
{
    var initial = get_num_threads();
    using var ready = new ManualResetEventSlim();
    using var changed = new ManualResetEventSlim();
    int early = 0, earlyAfter = 0, late = 0;
    var worker = new Thread(() =>
    {
        using (var scope = NewDisposeScope()) early = (int)(ones(64, 64).matmul(ones(64, 64)).sum().item<float>() > 0 ? get_num_threads() : -1);
        ready.Set();
        changed.Wait();
        earlyAfter = get_num_threads();
    });
    worker.Start();
    ready.Wait();
    set_num_threads(1);
    changed.Set();
    worker.Join();
    var fresh = new Thread(() => late = get_num_threads());
    fresh.Start();
    fresh.Join();
    var main = get_num_threads();
    set_num_threads(initial);
    return $"threads: default {initial}; a worker that ran torch first saw {early}, and {earlyAfter} after the main thread set 1; "
        + $"a new thread saw {late}; the main thread {main}";
}

static (float[] Waveforms, float[] Rhythm) Inputs(int batch, int length, int features, int seed)
{
    var random = new Random(seed);
    var waveforms = new float[batch * length];
    for (var i = 0; i < waveforms.Length; i++) waveforms[i] = (float)random.NextDouble();
    var rhythm = new float[batch * features];
    for (var i = 0; i < rhythm.Length; i++) rhythm[i] = (float)(0.5 + random.NextDouble());
    return (waveforms, rhythm);
}

static string Export(string directory, BeatClassifier model, float[] waveforms, float[] rhythm)
{
    using var scope = NewDisposeScope();
    var batch = waveforms.Length / model.WaveformLength;
    var w = tensor(waveforms, [batch, 1, model.WaveformLength]);
    var r = tensor(rhythm, [batch, model.RhythmFeatures]);
    var result = new VanillaGradient().Attribute(model, w, r, SaliencyTargets.Predicted);
    return ModelExport.Write(directory, $"kachuee-{model.WaveformLength}", model, w, r, result.Logits, result.Attributions);
}

internal sealed record Measurement(string Mode, int Length, int Threads, int Workers, double[] Rates)
{
    public double Median => Throughput.Median(Rates);
}

internal sealed record BenchOptions(int Batch, int[] Lengths, int[] Threads, int Workers, int Repetitions, double Seconds, int Warmup,
    string OutputDirectory, bool PyTorch, string Python, bool Explore)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{args[i]}'");
            if (args[i] is "--no-pytorch" or "--explore") flags.Add(args[i]);
            else if (i + 1 < args.Length) values[args[i]] = args[++i];
            else throw new ArgumentException($"{args[i]} needs a value");
        }
        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        int[] Ints(string name, string fallback) => [.. Get(name, fallback).Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
        return new BenchOptions(
            Batch: int.Parse(Get("--batch", "256"), CultureInfo.InvariantCulture),
            Lengths: Ints("--lengths", "187,256"),
            Threads: Ints("--threads", "1,2"),
            Workers: int.Parse(Get("--workers", "2"), CultureInfo.InvariantCulture),
            Repetitions: int.Parse(Get("--repetitions", "7"), CultureInfo.InvariantCulture),
            Seconds: double.Parse(Get("--seconds", "1.5"), CultureInfo.InvariantCulture),
            Warmup: int.Parse(Get("--warmup", "5"), CultureInfo.InvariantCulture),
            OutputDirectory: Get("--out", Path.Combine(Path.GetTempPath(), "ecg-bench")),
            PyTorch: !flags.Contains("--no-pytorch"),
            Python: Get("--python", "/usr/bin/python3"),
            Explore: flags.Contains("--explore"));
    }
}

/// <summary>Runs bench/pytorch/anchor.py on the exported models and reads its JSON lines.</summary>
internal static class PyTorchAnchor
{
    public sealed record Result(string Mode, int Length, int Threads, int Workers, double[] Rates)
    {
        public double Median => Throughput.Median(Rates);
    }

    public static List<Result> Run(BenchOptions options, IReadOnlyList<string> exports)
    {
        var script = Path.Combine(RepositoryRoot(), "bench", "pytorch", "anchor.py");
        var start = new ProcessStartInfo(options.Python) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--threads", string.Join(',', options.Threads), "--workers", options.Workers.ToString(CultureInfo.InvariantCulture),
                     "--repetitions", options.Repetitions.ToString(CultureInfo.InvariantCulture), "--seconds", options.Seconds.ToString(CultureInfo.InvariantCulture),
                     "--warmup", options.Warmup.ToString(CultureInfo.InvariantCulture) }
                     .Concat(options.Explore ? ["--explore"] : []).Concat(exports))
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {options.Python}");
        var results = new List<Result>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            Console.WriteLine($"PyTorch {line}");
            if (!line.StartsWith('{')) continue;
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("rates", out var rates))
                results.Add(new Result(root.GetProperty("mode").GetString()!, root.GetProperty("length").GetInt32(), root.GetProperty("threads").GetInt32(),
                    root.GetProperty("workers").GetInt32(), [.. rates.EnumerateArray().Select(r => r.GetDouble())]));
        }
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"anchor.py failed with exit code {process.ExitCode} (see its output above)");
        return results;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EcgOrleans.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no EcgOrleans.sln above {AppContext.BaseDirectory}");
    }
}
