using System.Security.Cryptography;
using System.Text;
using EcgOrleans.Abstractions;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Silo.Api;

/// <summary>
/// Everything the web page shows at one moment, in one response: every run with its beat count, and for the runs on
/// show (one, or two side by side) their records, class counts, confusion matrix and the maps of the chosen grouping.
/// Every beat count comes from the same reads of the class maps, so the run list, the run cards, the matrix and the
/// map panels agree. Version changes whenever anything in the snapshot changes (it is also the response's ETag);
/// Classes are the AAMI classes in matrix order; Runs lists every run, newest first; Views are the runs on show,
/// A first, then B when two are compared.
/// </summary>
public sealed record PageSnapshot(
    string Version,
    DateTimeOffset Taken,
    IReadOnlyList<string> Classes,
    IReadOnlyList<RunListing> Runs,
    IReadOnlyList<RunView> Views);

/// <summary>A run in the page's run list. <see cref="Beats"/> counts the beats merged into its class maps.</summary>
public sealed record RunListing(string Name, string ModelVersion, string Method, string Representation, DateTimeOffset Created, long Beats);

/// <summary>How many records a run has: finished (their last chunk came) and still streaming.</summary>
public sealed record RecordCounts(int Total, int Done, int Streaming);

/// <summary>
/// Where a beat's samples lie in time, to draw it against milliseconds from the R peak: sample i is at
/// (i − SamplesBeforeR) × 1000 / SamplingFrequency ms. Unit "sample" when the representation is unknown (then
/// SamplingFrequency is 1000 and SamplesBeforeR 0, and the axis is drawn in samples).
/// </summary>
public sealed record BeatAxisInfo(string Unit, double SamplingFrequency, int SamplesBeforeR)
{
    public static BeatAxisInfo Of(RunConfig config)
    {
        try
        {
            var representation = BeatRepresentation.Parse(config.Representation);
            if (representation.Length == config.WaveformLength)
                return new BeatAxisInfo("ms", representation.SamplingFrequency, representation.SamplesBeforeR);
        }
        catch (ArgumentException)
        {
            // A representation this silo does not know: fall through to a plain sample axis.
        }
        return new BeatAxisInfo("sample", 1000, 0);
    }
}

/// <summary>
/// One run on show. Reference and Predicted count the beats per class; Confusion[r][p] the beats of reference class r
/// predicted p (cell maps), so row r adds up to Reference[r]; Unlabelled[p] the beats predicted p that have no
/// reference, so each column plus it adds up to Predicted[p], and Beats is the sum of Predicted. Features names the
/// rhythm features that follow the waveform in every map's vectors. Consistent is false when a batch was still being
/// merged into some of the maps after several reads (the counts then disagree by that batch). Maps are those of the
/// chosen grouping (and class), in AAMI order; cells only where they have beats.
/// </summary>
public sealed record RunView(
    string Name,
    RunConfig Config,
    RecordCounts Records,
    long Beats,
    BeatAxisInfo Axis,
    IReadOnlyList<string> Features,
    IReadOnlyDictionary<string, long> Reference,
    IReadOnlyDictionary<string, long> Predicted,
    long[][] Confusion,
    long[] Unlabelled,
    bool Consistent,
    IReadOnlyList<ClassMapView> Maps);

/// <summary>The pure parts of a snapshot: which maps to read, how their counts add up, which runs to show, its version.</summary>
public static class Snapshots
{
    public static IReadOnlyList<string> ClassNames { get; } = [.. Aami.Classes.Select(c => c.ToString())];

    /// <summary>Every map key a run can have: 5 reference, 5 predicted, 25 cells. All are read, listed by the run yet or not.</summary>
    public static IReadOnlyList<string> AllMapKeys { get; } =
    [
        .. ClassNames.Select(c => $"reference/{c}"),
        .. ClassNames.Select(c => $"predicted/{c}"),
        .. ClassNames.SelectMany(r => ClassNames.Select(p => $"cell/{r}-{p}")),
    ];

    public static IReadOnlyList<string> PredictedKeys { get; } = [.. ClassNames.Select(c => $"predicted/{c}")];

    /// <summary>
    /// The maps are merged batch by batch into separate grains, so a read can catch a batch in some maps and not yet in
    /// others. A cut is consistent when each reference class counts as many beats as its row of cells, and no
    /// predicted class fewer than its column.
    /// </summary>
    public static bool IsConsistent(IReadOnlyDictionary<string, long> counts)
    {
        foreach (var r in ClassNames)
        {
            if (Count(counts, $"reference/{r}") != ClassNames.Sum(p => Count(counts, $"cell/{r}-{p}"))) return false;
        }
        foreach (var p in ClassNames)
        {
            if (Count(counts, $"predicted/{p}") < ClassNames.Sum(r => Count(counts, $"cell/{r}-{p}"))) return false;
        }
        return true;
    }

    public static RunView View(RunInfo info, IReadOnlyList<ClassMapView> maps, bool consistent, ClassMapGrouping grouping, string? @class)
    {
        var counts = maps.ToDictionary(m => m.Key, m => m.Count, StringComparer.Ordinal);
        var confusion = ClassNames.Select(r => ClassNames.Select(p => Count(counts, $"cell/{r}-{p}")).ToArray()).ToArray();
        var unlabelled = ClassNames.Select((p, j) => Math.Max(0, Count(counts, $"predicted/{p}") - confusion.Sum(row => row[j]))).ToArray();
        var predicted = ClassNames.ToDictionary(c => c, c => Count(counts, $"predicted/{c}"));
        var records = new RecordCounts(info.Records.Count, info.Records.Count(r => r.Done), info.Records.Count(r => !r.Done));
        var shown = maps.Where(m => Shows(m, grouping, @class)).ToList();
        return new RunView(info.Config.Name, info.Config, records, predicted.Values.Sum(), BeatAxisInfo.Of(info.Config),
            FeatureNames(info.Config.RhythmFeatures),
            ClassNames.ToDictionary(c => c, c => Count(counts, $"reference/{c}")), predicted, confusion, unlabelled, consistent, shown);
    }

    /// <summary>The rhythm features' names as the CLI prints them; f1, f2, ... for a count no model takes.</summary>
    public static IReadOnlyList<string> FeatureNames(int count) =>
        RhythmFeatures.IsValidCount(count) ? RhythmFeatures.NamesOf(count) : [.. Enumerable.Range(1, count).Select(i => $"f{i}")];

    /// <summary>
    /// The runs to show when the page names none: the two newest runs of different models (older one first, as A), else
    /// the two newest runs, else the one run there is. A named run is compared with the newest run of another model.
    /// </summary>
    public static IReadOnlyList<string> DefaultSelection(IReadOnlyList<RunListing> runs, string? run)
    {
        var newest = runs.OrderByDescending(r => r.Created).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var first = run is null ? newest.FirstOrDefault() : newest.FirstOrDefault(r => r.Name == run);
        if (first is null) return [];
        var second = newest.FirstOrDefault(r => r.Name != first.Name && r.ModelVersion != first.ModelVersion)
            ?? newest.FirstOrDefault(r => r.Name != first.Name);
        if (second is null) return [first.Name];
        // Unnamed, the pair reads in the order the runs were made; a named run stays A.
        return run is null && second.Created < first.Created ? [second.Name, first.Name] : [first.Name, second.Name];
    }

    /// <summary>A short hash of everything the page shows, and of what it asked for.</summary>
    public static string VersionOf(string request, IReadOnlyList<RunListing> runs, IReadOnlyList<RunView> views)
    {
        var text = new StringBuilder(request);
        foreach (var r in runs) text.Append('|').Append(r.Name).Append(':').Append(r.Beats);
        foreach (var v in views)
        {
            text.Append('|').Append(v.Name).Append(':').Append(v.Records.Done).Append('/').Append(v.Records.Total).Append(':').Append(v.Consistent);
            foreach (var m in v.Maps) text.Append(',').Append(m.Key).Append(':').Append(m.Count).Append(':').Append(m.Merges);
            foreach (var row in v.Confusion) text.Append(',').AppendJoin(' ', row);
            text.Append(',').AppendJoin(' ', v.Reference.Values).Append(',').AppendJoin(' ', v.Predicted.Values);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..20];
    }

    private static bool Shows(ClassMapView map, ClassMapGrouping grouping, string? @class) =>
        map.Key.StartsWith(grouping.Name + "/", StringComparison.Ordinal)
        && (@class is null ? grouping != ClassMapGrouping.Cell || map.Count > 0 : map.Key == $"{grouping.Name}/{@class}");

    private static long Count(IReadOnlyDictionary<string, long> counts, string key) => counts.GetValueOrDefault(key);
}
