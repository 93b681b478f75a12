using System.Diagnostics;
using System.Globalization;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using EcgOrleans.Signal.Wfdb;

// Whole-pipeline throughput on one in-process silo against the model's own batched throughput on the
// same beats (issue: Orleans must cost little). Usage:
//   dotnet run -c Release --project bench/EcgOrleans.Bench.Pipeline -- [--data DIR] [--records 100,101|all]
//       [--model models/kachuee-window-ds1.ckpt] [--repetitions 3] [--parallel 6] [--method vanilla]
var options = Options.Parse(args);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} at start");

var source = new WfdbDirectorySource(options.Data, options.Records);
var checkpoint = File.ReadAllBytes(options.Model);
var metadata = Checkpoint.Load(checkpoint, options.Model).Metadata;
var representation = BeatRepresentation.Parse(metadata.Representation);

// Where the CPU goes outside the model: reading and cutting beats, single-threaded, once.
var read = Stopwatch.StartNew();
var records = source.Records.Select(source.Load).ToList();
read.Stop();
var cut = Stopwatch.StartNew();
var beats = records.SelectMany(r => RecordBeats.Extract(r, representation)).ToList();
cut.Stop();
Console.WriteLine($"{records.Count} records, {beats.Count:N0} beats; read {read.Elapsed.TotalSeconds:F2} s, cut {cut.Elapsed.TotalSeconds:F2} s (one thread)");

TorchThreads.Configure();

// One silo for every repetition, as a running silo serves one ingest after another. Its first ingest pays for
// starting up (JIT-compiling ~13,500 methods, then re-compiling the hot ones: ~4 CPU s here), so as many records as
// go in parallel pass through first, reported, left out of the ratio: the raw side is warmed up too.
var models = Path.Combine(Path.GetTempPath(), $"ecg-bench-models-{Environment.ProcessId}");
Directory.CreateDirectory(models);
File.Copy(options.Model, Path.Combine(models, "bench.ckpt"), overwrite: true);
await using var session = await ClusterSession.StartAsync(new ClusterSettings { InProcess = true }, CancellationToken.None,
    new Dictionary<string, string?> { ["Ecg:Models"] = models });
var warmUpCpu = CpuMeter.Start();
var warmUpRecords = source.Records.Take(options.Parallel).ToList();
var warmUp = await PipelineThroughput(session, new WfdbDirectorySource(options.Data, warmUpRecords), "warm-up", options);
Console.WriteLine($"warm-up, records {string.Join(",", warmUpRecords)} on the fresh silo: {warmUp:N0} beats/s ({warmUpCpu.Stop()})");

var raw = new List<double>();
var pipeline = new List<double>();
for (var repetition = 0; repetition < options.Repetitions; repetition++)
{
    var rawCpu = CpuMeter.Start();
    raw.Add(RawThroughput(checkpoint, beats, metadata.RhythmFeatureCount, options));
    var rawBusy = rawCpu.Stop();
    var pipelineCpu = CpuMeter.Start();
    pipeline.Add(await PipelineThroughput(session, source, $"bench-{repetition}", options));
    var pipelineBusy = pipelineCpu.Stop();
    Console.WriteLine($"repetition {repetition + 1}: raw {raw[^1]:N0} beats/s ({rawBusy}), pipeline {pipeline[^1]:N0} beats/s ({pipelineBusy}), ratio {pipeline[^1] / raw[^1]:P1}");
}

var rawMedian = Median(raw);
var pipelineMedian = Median(pipeline);
Console.WriteLine();
Console.WriteLine($"| {options.Method} saliency, {metadata.ModelName} on {representation.Name}, batch {EcgOrleans.Grains.Pipeline.RecordStream.BatchSize} | beats/s (median of {options.Repetitions}) |");
Console.WriteLine("| --- | ---: |");
Console.WriteLine($"| EcgOrleans.Ml alone: one scorer on {TorchThreads.Current} threads, beats already cut | {rawMedian:N0} |");
Console.WriteLine($"| whole pipeline, one in-process silo (warmed up), {records.Count} records from disk | {pipelineMedian:N0} |");
Console.WriteLine($"| ratio of the medians | {pipelineMedian / rawMedian:P1} |");
// Each repetition measures raw and pipeline back to back, so its ratio is paired against the machine's drift.
Console.WriteLine($"| median of the {options.Repetitions} paired ratios | {Median([.. pipeline.Zip(raw, (p, r) => p / r)]):P1} |");
Console.WriteLine($"| whole database through the pipeline | {beats.Count / pipelineMedian:F1} s |");
Console.WriteLine($"load average at end: {LoadAverage()}");

static double RawThroughput(byte[] checkpoint, List<Beat> beats, int rhythm, Options options)
{
    // The ModelGrain's work without Orleans: one scorer, whole batches of 256, every core inside LibTorch.
    var batches = beats.Chunk(EcgOrleans.Grains.Pipeline.RecordStream.BatchSize)
        .Select(b => (Waveforms: b.SelectMany(x => x.Waveform).ToArray(), Rhythm: b.SelectMany(x => x.Rhythm.Take(rhythm)).ToArray()))
        .ToArray();
    var scorer = new BeatScorer(Checkpoint.Load(checkpoint, "bench").Model, SaliencyMethods.Create(options.Method));
    scorer.Score(batches[0].Waveforms, batches[0].Rhythm); // warm-up
    var stopwatch = Stopwatch.StartNew();
    foreach (var (waveforms, rhythmValues) in batches) scorer.Score(waveforms, rhythmValues);
    return beats.Count / stopwatch.Elapsed.TotalSeconds;
}

static async Task<double> PipelineThroughput(ClusterSession session, IRecordSource source, string run, Options options)
{
    await session.Grains.GetGrain<IRunGrain>(run).Configure(new RunRequest("bench", options.Method));
    var summary = await SourceIngestion.IngestAsync(session.Grains, run, source, options.Parallel, chunkSeconds: 30, CancellationToken.None, showProgress: false);
    return summary.BeatsPerSecond;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

/// <summary>Process CPU over wall time: tells idle cores (scheduling) from extra work (CPU per beat).</summary>
internal sealed class CpuMeter
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly TimeSpan _gcPause = GC.GetTotalPauseDuration();
    private readonly int[] _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _jit = System.Runtime.JitInfo.GetCompilationTime();
    private readonly long _jitted = System.Runtime.JitInfo.GetCompiledMethodCount();

    public static CpuMeter Start() => new();

    public string Stop()
    {
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds;
        var gcs = string.Join("/", Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - _collections[g]));
        return $"{cpu:F1} CPU s in {_wall.Elapsed.TotalSeconds:F1} s, {cpu / _wall.Elapsed.TotalSeconds:F2} cores busy; "
            + $"GCs gen0/1/2 {gcs}, paused {(GC.GetTotalPauseDuration() - _gcPause).TotalSeconds:F2} s; "
            + $"JIT {(System.Runtime.JitInfo.GetCompilationTime() - _jit).TotalSeconds:F2} s for {System.Runtime.JitInfo.GetCompiledMethodCount() - _jitted:N0} methods";
    }
}

internal sealed record Options(string Data, IReadOnlyList<string> Records, string Model, int Repetitions, int Parallel, string Method)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var root = FindRoot();
        var records = Value("--records", "all");
        return new Options(
            Value("--data", Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "mitdb"))),
            records == "all" ? DatasetSplits.All : [.. records.Split(',')],
            Value("--model", Path.Combine(root, "models", "kachuee-window-ds1.ckpt")),
            int.Parse(Value("--repetitions", "3")),
            int.Parse(Value("--parallel", "6")),
            Value("--method", "vanilla"));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EcgOrleans.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
