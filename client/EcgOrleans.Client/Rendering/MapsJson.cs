using EcgOrleans.Abstractions;
using EcgOrleans.Client.Maps;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Client.Rendering;

/// <summary>What <c>ecg maps --json</c> prints (and the demo report holds): one or two runs, and their differences when two.</summary>
internal sealed record MapsReport(IReadOnlyList<RunJson> Runs, IReadOnlyList<DifferenceJson>? Differences)
{
    public static MapsReport Of(RunMaps run, RunMaps? compare = null)
    {
        if (compare is null) return new MapsReport([RunJson.Of(run)], null);
        var firstAxis = BeatAxis.Of(run.Config);
        var differences = MapComparison.Pair(run.Maps, compare.Maps).Select(p => DifferenceJson.Of(MapComparison.Difference(p), firstAxis));
        return new MapsReport([RunJson.Of(run), RunJson.Of(compare)], [.. differences]);
    }
}

internal sealed record RunJson(
    string Name, string Model, string Method, string Target, string Representation, int WaveformLength, int RhythmFeatures,
    long Beats, int Records, IReadOnlyList<MapJson> Maps)
{
    public static RunJson Of(RunMaps run)
    {
        var c = run.Config;
        var axis = BeatAxis.Of(c);
        return new RunJson(c.Name, c.ModelVersion, c.Method, c.Target, c.Representation, c.WaveformLength, c.RhythmFeatures,
            run.Beats, run.Records, [.. run.Maps.Select(m => MapJson.Of(m, axis))]);
    }
}

/// <summary>
/// One class map: the average beat and the average saliency, each ± one standard deviation, waveform and rhythm apart;
/// <see cref="Waves"/>: the share of the mean waveform saliency in the P, QRS and T windows (null off a time axis).
/// </summary>
internal sealed record MapJson(
    string Key, string Grouping, string Class, long Count, double? RhythmShare, double? PeakSaliencyMs,
    IReadOnlyList<WaveShareJson>? Waves, SeriesJson Beat, SeriesJson Saliency, RhythmJson? Rhythm)
{
    public static MapJson Of(ClassMapView map, BeatAxis axis)
    {
        var slash = map.Key.IndexOf('/');
        var peak = MapFigures.PeakIndex(MapFigures.Waveform(map, map.SaliencyMean));
        var rhythmLength = MapFigures.RhythmLength(map);
        RhythmJson? rhythm = rhythmLength == 0 ? null : new RhythmJson(
            FeatureNames(rhythmLength),
            MapFigures.Rhythm(map, map.BeatMean).ToArray(), MapFigures.Rhythm(map, map.BeatSd).ToArray(),
            MapFigures.Rhythm(map, map.SaliencyMean).ToArray(), MapFigures.Rhythm(map, map.SaliencySd).ToArray());
        return new MapJson(map.Key, slash > 0 ? map.Key[..slash] : "", slash > 0 ? map.Key[(slash + 1)..] : map.Key, map.Count,
            Round(MapFigures.RhythmShare(map)), peak < 0 ? null : Math.Round(axis.Milliseconds(peak), 1),
            MapFigures.WaveShares(map, axis)?.Select(w => new WaveShareJson(w.Wave, w.StartMs, w.EndMs, Round(w.Share), Round(w.EvenShare))).ToList(),
            new SeriesJson(MapFigures.Waveform(map, map.BeatMean).ToArray(), MapFigures.Waveform(map, map.BeatSd).ToArray()),
            new SeriesJson(MapFigures.Waveform(map, map.SaliencyMean).ToArray(), MapFigures.Waveform(map, map.SaliencySd).ToArray()),
            rhythm);
    }

    /// <summary>The names of the beat features when a model may take that many; else f1, f2, ...</summary>
    public static IReadOnlyList<string> FeatureNames(int count) =>
        RhythmFeatures.IsValidCount(count) ? RhythmFeatures.NamesOf(count) : [.. Enumerable.Range(1, count).Select(i => $"f{i}")];

    internal static double? Round(double? value) => value is { } v ? Math.Round(v, 6) : null;
}

/// <summary>A wave window's share of the map's waveform saliency; <see cref="EvenShare"/>: a flat map's share.</summary>
internal sealed record WaveShareJson(string Wave, double StartMs, double EndMs, double? Share, double? EvenShare);

internal sealed record SeriesJson(float[] Mean, float[] Sd);

internal sealed record RhythmJson(IReadOnlyList<string> Features, float[] ValueMean, float[] ValueSd, float[] SaliencyMean, float[] SaliencySd);

/// <summary>First run minus second run, for one class map.</summary>
internal sealed record DifferenceJson(
    string Key, long FirstCount, long SecondCount, double? RhythmShareDifference, double? MeanAbsoluteSaliencyDifference,
    double? LargestSaliencyDifference, double? LargestAtMs, float[]? SaliencyDifference, float[]? RhythmSaliencyDifference, string? Note)
{
    public static DifferenceJson Of(MapDifference d, BeatAxis axis) => new(
        d.Key, d.FirstCount, d.SecondCount, MapJson.Round(d.RhythmShareDifference), MapJson.Round(d.MeanAbsoluteSaliency),
        MapJson.Round(d.LargestSaliency), d.LargestAt is { } at ? Math.Round(axis.Milliseconds(at), 1) : null,
        d.WaveformSaliency, d.RhythmSaliency, d.Note);
}

/// <summary>Per-class beat counts of one grouping, in AAMI order (what the demo report checks against the records).</summary>
internal static class ClassCounts
{
    public static Dictionary<string, long> Of(IEnumerable<ClassMapView> maps, ClassMapGrouping grouping)
    {
        var counts = Aami.Classes.ToDictionary(c => c.ToString(), _ => 0L);
        foreach (var map in maps)
        {
            ClassMapKey key;
            try
            {
                key = ClassMapKey.Parse(map.Key);
            }
            catch (ArgumentException)
            {
                continue;
            }
            if (key.Grouping != grouping) continue;
            var c = grouping == ClassMapGrouping.Predicted ? key.Predicted : key.Reference;
            counts[c!.Value.ToString()] += map.Count;
        }
        return counts;
    }
}
