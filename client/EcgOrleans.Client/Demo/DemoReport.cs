using System.Globalization;
using System.Runtime.InteropServices;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Sources;

namespace EcgOrleans.Client.Demo;

/// <summary>What <c>ecg demo</c> writes to report.json: what ran on what, what came out, and how long it took.</summary>
internal sealed record DemoReport(
    string Dataset,
    DemoSource Source,
    IReadOnlyList<RecordCounts> Records,
    IReadOnlyDictionary<string, long> ReferenceCounts,
    IReadOnlyList<DemoRun> Runs,
    MapsReport Maps,
    DemoTimings Timings,
    DemoMachine Machine,
    IReadOnlyList<string> Files);

/// <param name="Kind">"synthetic" or "wfdb".</param>
internal sealed record DemoSource(string Kind, int? Seed, int Records, double? Seconds, string? Folder)
{
    public static DemoSource Of(IRecordSource source, string? folder) => source is SyntheticSource synthetic
        ? new DemoSource("synthetic", synthetic.Seed, source.Records.Count, synthetic.Seconds, null)
        : new DemoSource("wfdb", null, source.Records.Count, null, folder is null ? null : Path.GetFullPath(folder));
}

/// <summary>A record's reference beats per AAMI class.</summary>
internal sealed record RecordCounts(string Record, IReadOnlyDictionary<string, long> Counts, long Total);

/// <summary>One run: its configuration, beats per class by reference and by prediction, and its ingest speed.</summary>
internal sealed record DemoRun(
    string Run, string Model, string Method, string Target, string Representation, int WaveformLength, int RhythmFeatures,
    IReadOnlyDictionary<string, long> ReferenceCounts, IReadOnlyDictionary<string, long> PredictedCounts,
    long Beats, double IngestSeconds, double BeatsPerSecond)
{
    public static DemoRun Of(RunConfig c, SourceIngestion.Summary ingest, RunMaps maps) => new(
        c.Name, c.ModelVersion, c.Method, c.Target, c.Representation, c.WaveformLength, c.RhythmFeatures,
        ClassCounts.Of(maps.Maps, ClassMapGrouping.Reference), ClassCounts.Of(maps.Maps, ClassMapGrouping.Predicted),
        ingest.Beats, Math.Round(ingest.Elapsed.TotalSeconds, 3), Math.Round(ingest.BeatsPerSecond, 1));
}

internal sealed record DemoTimings(double DataSeconds, double SiloStartSeconds, double IngestSeconds, double PlotSeconds, double TotalSeconds);

/// <param name="LoadAverage">The 1-minute load average when the demo finished (Linux): beats/s mean little without it on a shared machine.</param>
internal sealed record DemoMachine(int Cores, string Os, string Runtime, double? LoadAverage)
{
    public static DemoMachine Current() => new(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, ReadLoadAverage());

    private static double? ReadLoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
