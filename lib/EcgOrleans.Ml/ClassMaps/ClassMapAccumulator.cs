using System.Numerics;

namespace EcgOrleans.Ml.ClassMaps;

/// <summary>
/// Running count, mean and M2 (sum of squared deviations from the mean) of the saliency maps AND of the beats
/// (waveform then rhythm, L + R values each) of one class map. Add beats one at a time (Welford) and merge
/// partial accumulators in any order and partition (Chan, Golub and LeVeque's parallel formulas): the result
/// equals the one-pass statistics up to rounding. Plain data (a count and four double arrays), so that an
/// Orleans message or grain state can copy it as is and rebuild it with <see cref="FromState"/>.
/// </summary>
public sealed class ClassMapAccumulator
{
    public ClassMapAccumulator(int waveformLength, int rhythmLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(waveformLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rhythmLength);
        WaveformLength = waveformLength;
        RhythmLength = rhythmLength;
        SaliencyMean = new double[Dimension];
        SaliencyM2 = new double[Dimension];
        BeatMean = new double[Dimension];
        BeatM2 = new double[Dimension];
    }

    public int WaveformLength { get; }

    public int RhythmLength { get; }

    /// <summary>L + R: the length of every vector.</summary>
    public int Dimension => WaveformLength + RhythmLength;

    public long Count { get; private set; }

    public double[] SaliencyMean { get; }

    public double[] SaliencyM2 { get; }

    public double[] BeatMean { get; }

    public double[] BeatM2 { get; }

    /// <summary>Rebuilds an accumulator from its state (arrays are copied), checking that it is consistent.</summary>
    /// <exception cref="ArgumentException">Lengths that differ from L + R, a negative count, non-finite values,
    /// a negative M2, or a non-zero state with a zero count.</exception>
    public static ClassMapAccumulator FromState(int waveformLength, int rhythmLength, long count,
        double[] saliencyMean, double[] saliencyM2, double[] beatMean, double[] beatM2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var accumulator = new ClassMapAccumulator(waveformLength, rhythmLength) { Count = count };
        Load(accumulator.SaliencyMean, saliencyMean, nameof(saliencyMean), count, mustBeNonNegative: false);
        Load(accumulator.SaliencyM2, saliencyM2, nameof(saliencyM2), count, mustBeNonNegative: true);
        Load(accumulator.BeatMean, beatMean, nameof(beatMean), count, mustBeNonNegative: false);
        Load(accumulator.BeatM2, beatM2, nameof(beatM2), count, mustBeNonNegative: true);
        return accumulator;
    }

    /// <summary>Adds one beat: its saliency map and its values (both L + R long).</summary>
    public void Add(ReadOnlySpan<float> saliency, ReadOnlySpan<float> beat)
    {
        CheckLength(saliency.Length, nameof(saliency));
        CheckLength(beat.Length, nameof(beat));
        Count++;
        Welford(SaliencyMean, SaliencyM2, saliency, Count);
        Welford(BeatMean, BeatM2, beat, Count);
    }

    /// <summary>Adds one beat given as a waveform (L) and rhythm features (R).</summary>
    public void Add(ReadOnlySpan<float> saliency, ReadOnlySpan<float> waveform, ReadOnlySpan<float> rhythm)
    {
        if (waveform.Length != WaveformLength)
            throw new ArgumentException($"waveform has {waveform.Length} values, this map {WaveformLength}", nameof(waveform));
        if (rhythm.Length != RhythmLength)
            throw new ArgumentException($"rhythm has {rhythm.Length} values, this map {RhythmLength}", nameof(rhythm));
        Span<float> beat = Dimension <= 1024 ? stackalloc float[Dimension] : new float[Dimension];
        waveform.CopyTo(beat);
        rhythm.CopyTo(beat[WaveformLength..]);
        Add(saliency, beat);
    }

    /// <summary>Merges another accumulator of the same shape into this one (the other is left unchanged).</summary>
    public void Merge(ClassMapAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.WaveformLength != WaveformLength || other.RhythmLength != RhythmLength)
            throw new ArgumentException(
                $"cannot merge a map of {other.WaveformLength}+{other.RhythmLength} values into one of {WaveformLength}+{RhythmLength}", nameof(other));
        if (other.Count == 0) return;
        var total = Count + other.Count;
        Chan(SaliencyMean, SaliencyM2, Count, other.SaliencyMean, other.SaliencyM2, other.Count, total);
        Chan(BeatMean, BeatM2, Count, other.BeatMean, other.BeatM2, other.Count, total);
        Count = total;
    }

    public ClassMapAccumulator Clone() =>
        FromState(WaveformLength, RhythmLength, Count, SaliencyMean, SaliencyM2, BeatMean, BeatM2);

    /// <summary>Per-value variance of the saliency maps: M2 / n, or M2 / (n - 1) when <paramref name="unbiased"/>.</summary>
    public double[] SaliencyVariance(bool unbiased = false) => Variance(SaliencyM2, unbiased);

    public double[] SaliencyStandardDeviation(bool unbiased = false) => [.. SaliencyVariance(unbiased).Select(Math.Sqrt)];

    /// <summary>Per-value variance of the beats: M2 / n, or M2 / (n - 1) when <paramref name="unbiased"/>.</summary>
    public double[] BeatVariance(bool unbiased = false) => Variance(BeatM2, unbiased);

    public double[] BeatStandardDeviation(bool unbiased = false) => [.. BeatVariance(unbiased).Select(Math.Sqrt)];

    private double[] Variance(double[] m2, bool unbiased)
    {
        var divisor = unbiased ? Count - 1 : Count;
        if (divisor < 1)
            throw new InvalidOperationException(
                $"the {(unbiased ? "unbiased" : "population")} variance needs at least {(unbiased ? 2 : 1)} beats; this map has {Count}");
        return [.. m2.Select(v => v / divisor)];
    }

    private static void Welford(double[] mean, double[] m2, ReadOnlySpan<float> x, long count)
    {
        // Every beat of a batch passes through here three times (one map per grouping): SIMD, with the same
        // IEEE operations per element as the scalar tail, so the result does not depend on the vector width.
        var n = new Vector<double>(count);
        var i = 0;
        for (; i <= mean.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.Widen(new Vector<float>(x[i..]), out var low, out var high);
            WelfordStep(mean, m2, i, low, n);
            WelfordStep(mean, m2, i + Vector<double>.Count, high, n);
        }
        for (; i < mean.Length; i++)
        {
            var delta = x[i] - mean[i];
            mean[i] += delta / count;
            m2[i] += delta * (x[i] - mean[i]);
        }
    }

    private static void WelfordStep(double[] mean, double[] m2, int at, Vector<double> x, Vector<double> count)
    {
        var oldMean = new Vector<double>(mean.AsSpan(at));
        var delta = x - oldMean;
        var newMean = oldMean + delta / count;
        newMean.CopyTo(mean.AsSpan(at));
        (new Vector<double>(m2.AsSpan(at)) + delta * (x - newMean)).CopyTo(m2.AsSpan(at));
    }

    private static void Chan(double[] mean, double[] m2, long count, double[] otherMean, double[] otherM2, long otherCount, long total)
    {
        // Weights as doubles: the product of two large counts overflows a long.
        double n = count, m = otherCount;
        for (var i = 0; i < mean.Length; i++)
        {
            var delta = otherMean[i] - mean[i];
            mean[i] += delta * (m / total);
            m2[i] += otherM2[i] + delta * delta * (n * m / total);
        }
    }

    private void CheckLength(int length, string parameter)
    {
        if (length != Dimension)
            throw new ArgumentException($"{parameter} has {length} values; this map has {Dimension} ({WaveformLength} waveform + {RhythmLength} rhythm)", parameter);
    }

    private static void Load(double[] target, double[] source, string name, long count, bool mustBeNonNegative)
    {
        ArgumentNullException.ThrowIfNull(source, name);
        if (source.Length != target.Length)
            throw new ArgumentException($"{name} has {source.Length} values, expected {target.Length}", name);
        for (var i = 0; i < source.Length; i++)
        {
            var v = source[i];
            if (!double.IsFinite(v)) throw new ArgumentException($"{name}[{i}] is {v}", name);
            if (mustBeNonNegative && v < 0) throw new ArgumentException($"{name}[{i}] is negative ({v}); M2 is a sum of squares", name);
            if (count == 0 && v != 0) throw new ArgumentException($"{name}[{i}] is {v} in a map of 0 beats", name);
        }
        source.CopyTo(target);
    }
}
