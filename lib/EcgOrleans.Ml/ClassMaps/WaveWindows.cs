namespace EcgOrleans.Ml.ClassMaps;

/// <summary>A fixed window of a beat relative to its R peak, in milliseconds (both ends inclusive).</summary>
public sealed record WaveWindow(string Name, double StartMs, double EndMs);

/// <summary>A window's share of a map's waveform saliency, beside the share it would hold if saliency were spread evenly.</summary>
/// <param name="Share">Σ|saliency| in the window over Σ|saliency| of the whole waveform; null when the window does not
/// lie wholly inside the beat, or the map is all zero.</param>
/// <param name="EvenShare">The window's samples over the waveform's samples: the share of a flat map.</param>
public sealed record WaveShare(string Wave, double StartMs, double EndMs, double? Share, double? EvenShare);

/// <summary>
/// The P-wave, QRS and T-wave windows of a beat at fixed offsets from the R peak. Fixed offsets are the simplest
/// delineation that needs no wave detector: normal PR interval 120–200 ms, QRS duration under 120 ms (so ±60 ms
/// around R) and QT under about 440 ms (Goldberger, Clinical Electrocardiography; the AHA/ACCF/HRS 2009
/// recommendations on ECG intervals). P: −250..−120 ms, QRS: −60..+60 ms, T: +120..+400 ms. At high heart rates the
/// T wave of the previous beat and the P wave overlap; a fixed window cannot tell them apart.
/// </summary>
public static class WaveWindows
{
    public static WaveWindow P { get; } = new("P", -250, -120);

    public static WaveWindow Qrs { get; } = new("QRS", -60, 60);

    public static WaveWindow T { get; } = new("T", 120, 400);

    public static IReadOnlyList<WaveWindow> All { get; } = [P, Qrs, T];

    /// <summary>The first and last sample index of <paramref name="window"/> in a beat whose R peak is sample
    /// <paramref name="samplesBeforeR"/>, or null when the window reaches outside the <paramref name="length"/> samples.</summary>
    public static (int First, int Last)? Samples(WaveWindow window, int length, int samplesBeforeR, double samplingFrequency)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplingFrequency);
        // Samples whose time lies within the window: ceil at the start, floor at the end.
        var first = samplesBeforeR + (int)Math.Ceiling(window.StartMs * samplingFrequency / 1000 - 1e-9);
        var last = samplesBeforeR + (int)Math.Floor(window.EndMs * samplingFrequency / 1000 + 1e-9);
        return first < 0 || last >= length || last < first ? null : (first, last);
    }

    /// <summary>The share of |<paramref name="waveformSaliency"/>| in each of <see cref="All"/>.</summary>
    public static IReadOnlyList<WaveShare> Shares(ReadOnlySpan<float> waveformSaliency, int samplesBeforeR, double samplingFrequency)
    {
        var total = 0.0;
        foreach (var v in waveformSaliency) total += Math.Abs(v);
        var shares = new List<WaveShare>();
        foreach (var window in All)
        {
            if (Samples(window, waveformSaliency.Length, samplesBeforeR, samplingFrequency) is not var (first, last))
            {
                shares.Add(new WaveShare(window.Name, window.StartMs, window.EndMs, null, null));
                continue;
            }
            var inside = 0.0;
            for (var i = first; i <= last; i++) inside += Math.Abs(waveformSaliency[i]);
            shares.Add(new WaveShare(window.Name, window.StartMs, window.EndMs, total > 0 ? inside / total : null,
                (last - first + 1) / (double)waveformSaliency.Length));
        }
        return shares;
    }
}
