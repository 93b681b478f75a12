using EcgOrleans.Abstractions;

namespace EcgOrleans.Client.Rendering;

/// <summary>The same class map in two runs (either may be missing: a class one model never predicts).</summary>
internal sealed record MapPair(string Key, ClassMapView? First, ClassMapView? Second);

/// <summary>
/// How two runs' maps of one class differ: saliency first − second, per waveform sample and per rhythm feature,
/// where the two have the same shape; and the rhythm shares, which compare whatever the shapes.
/// </summary>
internal sealed record MapDifference(
    string Key,
    long FirstCount,
    long SecondCount,
    float[]? WaveformSaliency,
    float[]? RhythmSaliency,
    double? MeanAbsoluteSaliency,
    double? LargestSaliency,
    int? LargestAt,
    double? RhythmShareDifference,
    string? Note);

/// <summary>Pairs two runs' class maps and takes their differences.</summary>
internal static class MapComparison
{
    public static IReadOnlyList<MapPair> Pair(IEnumerable<ClassMapView> first, IEnumerable<ClassMapView> second)
    {
        var a = first.ToDictionary(m => m.Key, StringComparer.Ordinal);
        var b = second.ToDictionary(m => m.Key, StringComparer.Ordinal);
        return [.. a.Keys.Union(b.Keys).Order(MapKeyOrder.Instance).Select(k => new MapPair(k, a.GetValueOrDefault(k), b.GetValueOrDefault(k)))];
    }

    public static MapDifference Difference(MapPair pair)
    {
        var (first, second) = (pair.First, pair.Second);
        long countA = first?.Count ?? 0, countB = second?.Count ?? 0;
        if (first is not { Count: > 0 } || second is not { Count: > 0 })
        {
            var note = first is { Count: > 0 } ? "only in the first run" : second is { Count: > 0 } ? "only in the second run" : "empty in both runs";
            return new MapDifference(pair.Key, countA, countB, null, null, null, null, null, null, note);
        }

        double? shareDifference = MapFigures.RhythmShare(first) is { } sa && MapFigures.RhythmShare(second) is { } sb ? sa - sb : null;
        float[]? rhythm = MapFigures.RhythmLength(first) == MapFigures.RhythmLength(second) && MapFigures.RhythmLength(first) > 0
            ? Subtract(MapFigures.Rhythm(first, first.SaliencyMean), MapFigures.Rhythm(second, second.SaliencyMean))
            : null;
        if (first.WaveformLength != second.WaveformLength)
        {
            // Different representations (window vs kachuee) put different times under the same index: no per-sample difference.
            return new MapDifference(pair.Key, countA, countB, null, rhythm, null, null, null, shareDifference,
                $"waveforms of {first.WaveformLength} and {second.WaveformLength} samples: no per-sample difference");
        }

        var waveform = Subtract(MapFigures.Waveform(first, first.SaliencyMean), MapFigures.Waveform(second, second.SaliencyMean));
        var largestAt = 0;
        double sumAbsolute = 0;
        for (var i = 0; i < waveform.Length; i++)
        {
            sumAbsolute += Math.Abs(waveform[i]);
            if (Math.Abs(waveform[i]) > Math.Abs(waveform[largestAt])) largestAt = i;
        }
        return new MapDifference(pair.Key, countA, countB, waveform, rhythm, sumAbsolute / waveform.Length, waveform[largestAt], largestAt,
            shareDifference, null);
    }

    /// <summary>The largest magnitude over several differences' waveforms: one height scale for all of them.</summary>
    public static double Scale(IEnumerable<MapDifference> differences)
    {
        double peak = 0;
        foreach (var d in differences)
        {
            foreach (var v in d.WaveformSaliency ?? []) peak = Math.Max(peak, Math.Abs(v));
        }
        return peak > 0 ? peak : 1;
    }

    private static float[] Subtract(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++) result[i] = a[i] - b[i];
        return result;
    }
}
