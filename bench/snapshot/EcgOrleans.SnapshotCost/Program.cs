using System.Diagnostics;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Wfdb;

// Streams MIT-BIH records without their annotations the way RecordStream does (QrsDetector -> BeatSegmenter,
// the detector's horizon as the marks' watermark) and, after every chunk, measures what a commit point would
// persist: the size of each snapshot and the time to take and to restore it (median of repeated calls).
// Usage: dotnet run -c Release --project bench/snapshot/EcgOrleans.SnapshotCost [mitdb folder] [chunk seconds] [records...]
var directory = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("ECG_MITDB") ?? "../shared/data/mitdb";
var chunkSeconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
string[] records = args.Length > 2 ? args[2..] : ["100", "203", "208", "232"];
const int Repetitions = 21;

Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}; cores: {Environment.ProcessorCount}; "
    + $"chunks of {chunkSeconds} s; {Repetitions} calls per measurement, median taken");
var detector = new List<Measurement>();
var segmenter = new List<Measurement>();
foreach (var name in records)
{
    var record = WfdbRecord.Read(directory, name);
    var fs = record.Header.SamplingFrequency;
    var lead = record.Physical(record.PrimaryLead);
    var qrs = new QrsDetector(fs);
    var beats = new BeatSegmenter(name, fs, BeatRepresentation.Window);
    var chunk = (int)(chunkSeconds * fs);
    for (var at = 0; at + chunk <= lead.Length; at += chunk)
    {
        var samples = lead.AsSpan(at, chunk);
        var marks = qrs.Process(samples).Select(r => new BeatMark(r)).ToArray();
        beats.Push(samples, marks, qrs.DetectionsCompleteBefore);
        detector.Add(Measure(qrs.Snapshot, bytes => QrsDetector.Restore(bytes)));
        segmenter.Add(Measure(beats.Snapshot, bytes => BeatSegmenter.Restore(bytes)));
    }
}

Console.WriteLine($"{detector.Count} commit points over records {string.Join(", ", records)}");
Console.WriteLine();
Console.WriteLine("| state | bytes (median / max) | snapshot µs (median / 95th) | restore µs (median / 95th) |");
Console.WriteLine("| --- | --- | --- | --- |");
Report("QrsDetector", detector);
Report("BeatSegmenter (window)", segmenter);
Report("both", [.. detector.Zip(segmenter, (d, s) => new Measurement(d.Bytes + s.Bytes, d.SnapshotMicroseconds + s.SnapshotMicroseconds, d.RestoreMicroseconds + s.RestoreMicroseconds))]);

static Measurement Measure(Func<byte[]> snapshot, Action<byte[]> restore)
{
    var bytes = snapshot();
    return new Measurement(bytes.Length, Median(Repetitions, () => snapshot()), Median(Repetitions, () => restore(bytes)));
}

static double Median(int repetitions, Action action)
{
    var times = new double[repetitions];
    for (var i = 0; i < repetitions; i++)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
    Array.Sort(times);
    return times[repetitions / 2];
}

static void Report(string state, List<Measurement> points)
{
    static double At(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
    Console.WriteLine($"| {state} | {At(points.Select(p => (double)p.Bytes), 0.5):F0} / {points.Max(p => p.Bytes)} "
        + $"| {At(points.Select(p => p.SnapshotMicroseconds), 0.5):F1} / {At(points.Select(p => p.SnapshotMicroseconds), 0.95):F1} "
        + $"| {At(points.Select(p => p.RestoreMicroseconds), 0.5):F1} / {At(points.Select(p => p.RestoreMicroseconds), 0.95):F1} |");
}

internal readonly record struct Measurement(int Bytes, double SnapshotMicroseconds, double RestoreMicroseconds);
