using System.Globalization;
using EcgOrleans.Bench;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

// Throughput of the Kachuee CNN through BeatScorer (what the ModelGrain calls) against PyTorch on the same
// model, weights and batch. TorchSharp and PyTorch repetitions alternate, so both see the same machine load.
// See bench/README.md.
var options = BenchOptions.Parse(args);
Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}; cores: {Environment.ProcessorCount}; "
    + $"TorchSharp native heap {(NativeHeap.Configure() ? "tuned" : $"glibc defaults ({NativeHeap.Variable})")}; "
    + $"batch {options.Batch} scored in passes of {options.RowsPerPass}; {options.Repetitions} repetitions of ~{options.Seconds} s per side, alternating; medians reported");
Console.WriteLine(ThreadCheck());

var models = new Dictionary<int, (KachueeCnn Model, float[] Waveforms, float[] Rhythm)>();
var exports = new List<string>();
foreach (var length in options.Lengths)
{
    manual_seed(42);
    var model = new KachueeCnn(length, RhythmFeatures.Count);
    var (waveforms, rhythm) = Inputs(options.Batch, length, RhythmFeatures.Count, seed: 7);
    models[length] = (model, waveforms, rhythm);
    exports.Add(Export(options.OutputDirectory, model, waveforms, rhythm));
}

if (options.Explore)
{
    var settings = (options.Repetitions, options.Seconds, options.Warmup);
    foreach (var (length, (model, waveforms, rhythm)) in models)
    foreach (var threads in options.Threads)
        Variants.Run(Copy(model), waveforms, rhythm, options.Batch, threads, settings);
    if (options.PyTorch) PyTorchAnchor.Explore(options.Python, exports, options.AnchorSettings, options.Threads, options.Repetitions, options.Seconds, options.Warmup);
}

using var anchor = options.PyTorch ? PyTorchAnchor.Start(options.Python, exports, options.RowsPerPass, options.AnchorSettings) : null;
var rows = new List<Row>();
foreach (var (length, (model, waveforms, rhythm)) in models)
{
    var configurations = options.Threads.Select(t => (Threads: t, Workers: 1)).ToList();
    if (options.Workers > 1) configurations.Add((1, options.Workers));
    foreach (var (threads, workers) in configurations)
    {
        set_num_threads(threads);
        // One model instance (and scorer) per worker thread: the ModelGrain pattern.
        var scorers = Enumerable.Range(0, workers).Select(_ => new BeatScorer(Copy(model), new VanillaGradient(), rowsPerPass: options.RowsPerPass)).ToList();
        foreach (var mode in new[] { "inference", "inference+vanilla" })
        {
            Action Work(BeatScorer s) => mode == "inference" ? () => s.Classify(waveforms, rhythm) : () => s.Score(waveforms, rhythm);
            using IRunner runner = workers == 1
                ? new SingleRunner(Work(scorers[0]), options.Batch)
                : new ParallelRunner([.. scorers.Select(Work)], options.Batch);
            rows.Add(Measure(runner, anchor, mode, length, threads, workers));
        }
    }
}

Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine();
Console.WriteLine("| model | mode | threads x workers | TorchSharp beats/s | PyTorch beats/s | ratio of medians | median of paired ratios |");
Console.WriteLine("| --- | --- | --- | ---: | ---: | ---: | ---: |");
foreach (var row in rows)
{
    Console.WriteLine($"| kachuee L={row.Length} R={RhythmFeatures.Count} | {row.Mode} | {row.Threads} x {row.Workers} | "
        + $"{Number(Throughput.Median(row.TorchSharp))} | {(row.PyTorch.Length == 0 ? "-" : Number(Throughput.Median(row.PyTorch)))} | "
        + $"{(row.PyTorch.Length == 0 ? "-" : Ratio(Throughput.Median(row.TorchSharp) / Throughput.Median(row.PyTorch)))} | "
        + $"{(row.PyTorch.Length == 0 ? "-" : Ratio(Throughput.Median(row.TorchSharp.Zip(row.PyTorch, (t, p) => t / p))))} |");
}
return 0;

Row Measure(IRunner runner, PyTorchAnchor? pytorch, string mode, int length, int threads, int workers)
{
    var tsCalls = Throughput.Calibrate(runner, options.Warmup, options.Seconds);
    var pyCalls = pytorch?.Calibrate(mode, length, threads, workers, options.Warmup, options.Seconds) ?? 0;
    var ts = new List<double>();
    var py = new List<double>();
    for (var r = 0; r < options.Repetitions; r++)
    {
        // Alternate which side goes first, so that neither always follows the other's cache or thermal state.
        if (r % 2 == 1 && pytorch is not null) py.Add(pyCalls * runner.BeatsPerCall / pytorch.Run(mode, length, threads, workers, pyCalls));
        ts.Add(tsCalls * runner.BeatsPerCall / runner.Run(tsCalls));
        if (r % 2 == 0 && pytorch is not null) py.Add(pyCalls * runner.BeatsPerCall / pytorch.Run(mode, length, threads, workers, pyCalls));
    }
    var row = new Row(mode, length, threads, workers, [.. ts], [.. py]);
    Console.WriteLine($"L={length} {mode,-18} {threads} thread(s) x {workers} worker(s): TorchSharp {Number(Throughput.Median(ts))} beats/s "
        + $"[{string.Join(' ', ts.Select(Number))}]" + (pytorch is null ? "" : $", PyTorch {Number(Throughput.Median(py))} [{string.Join(' ', py.Select(Number))}]"));
    return row;
}

static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

static string Ratio(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

static KachueeCnn Copy(KachueeCnn model)
{
    var copy = new KachueeCnn(model.WaveformLength, model.RhythmFeatures);
    copy.load_state_dict(model.state_dict());
    return copy;
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
        using (var scope = NewDisposeScope()) _ = ones(64, 64).matmul(ones(64, 64)).sum().item<float>();
        early = get_num_threads();
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
        + $"a new thread then saw {late}; the main thread {main}";
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
    model.eval();
    var result = new VanillaGradient().Attribute(model, w, r, SaliencyTargets.Predicted);
    return ModelExport.Write(directory, $"kachuee-{model.WaveformLength}", model, w, r, result.Logits, result.Attributions);
}

internal sealed record Row(string Mode, int Length, int Threads, int Workers, double[] TorchSharp, double[] PyTorch);

internal sealed record BenchOptions(int Batch, int RowsPerPass, int[] Lengths, int[] Threads, int Workers, int Repetitions, double Seconds, int Warmup,
    string OutputDirectory, bool PyTorch, string Python, bool Explore, string PyTorchLayout, string PyTorchHeap)
{
    public string[] AnchorSettings => ["--layout", PyTorchLayout, "--heap", PyTorchHeap];

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
            RowsPerPass: int.Parse(Get("--rows-per-pass", BeatScorer.DefaultRowsPerPass.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
            Lengths: Ints("--lengths", "187,256"),
            Threads: Ints("--threads", "1,2"),
            Workers: int.Parse(Get("--workers", "2"), CultureInfo.InvariantCulture),
            Repetitions: int.Parse(Get("--repetitions", "7"), CultureInfo.InvariantCulture),
            Seconds: double.Parse(Get("--seconds", "1.5"), CultureInfo.InvariantCulture),
            Warmup: int.Parse(Get("--warmup", "5"), CultureInfo.InvariantCulture),
            OutputDirectory: Get("--out", Path.Combine(Path.GetTempPath(), "ecg-bench")),
            PyTorch: !flags.Contains("--no-pytorch"),
            Python: Get("--python", "/usr/bin/python3"),
            Explore: flags.Contains("--explore"),
            PyTorchLayout: Get("--pytorch-layout", "channels-last"),
            PyTorchHeap: Get("--pytorch-heap", "tuned"));
    }
}
