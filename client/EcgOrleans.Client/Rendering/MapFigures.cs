using EcgOrleans.Abstractions;

namespace EcgOrleans.Client.Rendering;

/// <summary>Figures read off one class map. Its vectors hold the waveform's values first, then the rhythm features'.</summary>
internal static class MapFigures
{
    public static ReadOnlySpan<float> Waveform(ClassMapView map, float[] values) =>
        values.AsSpan(0, Math.Min(values.Length, map.WaveformLength));

    public static ReadOnlySpan<float> Rhythm(ClassMapView map, float[] values) =>
        values.AsSpan(Math.Min(values.Length, map.WaveformLength));

    public static int RhythmLength(ClassMapView map) => Math.Max(0, map.SaliencyMean.Length - map.WaveformLength);

    /// <summary>
    /// The share of the class's mean saliency that falls on the rhythm features (RR intervals) rather than on the
    /// beat's shape: how much the class leans on rhythm. Null when the model takes no rhythm features; 0 when the
    /// map holds no saliency at all.
    /// </summary>
    public static double? RhythmShare(ClassMapView map)
    {
        if (RhythmLength(map) == 0) return null;
        double rhythm = 0, total = 0;
        var rhythmPart = Rhythm(map, map.SaliencyMean);
        foreach (var v in rhythmPart) rhythm += v;
        foreach (var v in map.SaliencyMean) total += v;
        return total > 0 ? rhythm / total : 0;
    }

    /// <summary>
    /// The share of the class map's waveform saliency (its mean map) in the P, QRS and T windows at fixed offsets from the
    /// R peak (<see cref="Ml.ClassMaps.WaveWindows"/>); null for a beat axis that is not in time (an unknown representation).
    /// </summary>
    public static IReadOnlyList<Ml.ClassMaps.WaveShare>? WaveShares(ClassMapView map, BeatAxis axis) =>
        axis == BeatAxis.Samples ? null : Ml.ClassMaps.WaveWindows.Shares(Waveform(map, map.SaliencyMean), axis.SamplesBeforeR, axis.SamplingFrequency);

    /// <summary>Index of the largest value (the first of equal ones); -1 when empty.</summary>
    public static int PeakIndex(ReadOnlySpan<float> values)
    {
        var best = -1;
        for (var i = 0; i < values.Length; i++)
        {
            if (best < 0 || values[i] > values[best]) best = i;
        }
        return best;
    }

    /// <summary>The largest mean waveform saliency over several maps: one colour scale for all of them.</summary>
    public static double SaliencyScale(IEnumerable<ClassMapView> maps)
    {
        double peak = 0;
        foreach (var map in maps)
        {
            foreach (var v in Waveform(map, map.SaliencyMean)) peak = Math.Max(peak, v);
        }
        return peak > 0 ? peak : 1;
    }
}

/// <summary>Class maps in reading order: reference, then predicted, then confusion cells; classes in AAMI order (N, S, V, F, Q).</summary>
internal sealed class MapKeyOrder : IComparer<string>
{
    public static MapKeyOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var (a, b) = (Rank(x), Rank(y));
        return a != b ? a.CompareTo(b) : string.CompareOrdinal(x, y);
    }

    /// <summary>Grouping × 100 + reference × 10 + predicted; keys this client cannot read sort last.</summary>
    private static int Rank(string? key)
    {
        if (key is null) return int.MaxValue;
        try
        {
            var parsed = Ml.ClassMaps.ClassMapKey.Parse(key);
            return (int)parsed.Grouping * 100 + (int)(parsed.Reference ?? 0) * 10 + (int)(parsed.Predicted ?? 0);
        }
        catch (ArgumentException)
        {
            return int.MaxValue - 1;
        }
    }
}
