using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Data;

/// <summary>
/// Labelled beats packed for training and evaluation: waveforms and rhythm features in flat float arrays
/// (one copy in memory, cheap subsets by index), the reference class and the record of every beat.
/// </summary>
public sealed class BeatSet
{
    private readonly float[] waveforms;
    private readonly float[] rhythm;
    private readonly AamiClass[] labels;
    private readonly string[] records;
    private readonly long[] samples;

    private BeatSet(int length, int rhythmCount, float[] waveforms, float[] rhythm, AamiClass[] labels, string[] records, long[] samples)
    {
        this.samples = samples;
        Length = length;
        RhythmCount = rhythmCount;
        this.waveforms = waveforms;
        this.rhythm = rhythm;
        this.labels = labels;
        this.records = records;
    }

    public int Count => labels.Length;

    /// <summary>Samples per waveform.</summary>
    public int Length { get; }

    /// <summary>Beat features kept per beat: 0 (waveform only), the RR prefix or all (<see cref="RhythmFeatures.IsValidCount"/>).</summary>
    public int RhythmCount { get; }

    public IReadOnlyList<AamiClass> Labels => labels;

    public IReadOnlyList<string> Records => records;

    /// <summary>Sample number of each beat's R peak in its record.</summary>
    public IReadOnlyList<long> Samples => samples;

    /// <summary>Beats per AAMI class, indexed by class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Aami.ClassCount];
        foreach (var label in labels) counts[(int)label]++;
        return counts;
    }

    /// <summary>
    /// Packs annotated beats. Every beat needs a reference class, a waveform of <paramref name="length"/> finite
    /// samples and at least <paramref name="rhythmCount"/> beat features, of which the first <paramref name="rhythmCount"/>
    /// are kept and must be finite.
    /// </summary>
    public static BeatSet FromBeats(IReadOnlyList<Beat> beats, int length, int rhythmCount)
    {
        ArgumentNullException.ThrowIfNull(beats);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (!RhythmFeatures.IsValidCount(rhythmCount))
            throw new ArgumentOutOfRangeException(nameof(rhythmCount), rhythmCount, $"keep 0, {RhythmFeatures.RrCount} or {RhythmFeatures.Count} beat features");
        var waveforms = new float[(long)beats.Count * length];
        var rhythm = new float[(long)beats.Count * rhythmCount];
        var labels = new AamiClass[beats.Count];
        var records = new string[beats.Count];
        var samples = new long[beats.Count];
        for (var i = 0; i < beats.Count; i++)
        {
            var beat = beats[i];
            var where = $"beat at sample {beat.Sample} of record {beat.Record}";
            labels[i] = beat.Reference ?? throw new ArgumentException($"{where} has no reference class: training and evaluation need annotated beats", nameof(beats));
            if (beat.Waveform.Length != length)
                throw new ArgumentException($"{where} has {beat.Waveform.Length} samples, expected {length}", nameof(beats));
            if (!AllFinite(beat.Waveform))
                throw new ArgumentException($"{where} holds NaN or infinite samples", nameof(beats));
            beat.Waveform.CopyTo(waveforms, (long)i * length);
            if (rhythmCount > 0)
            {
                if (beat.Rhythm.Length < rhythmCount)
                    throw new ArgumentException($"{where} has {beat.Rhythm.Length} beat features, expected at least {rhythmCount}", nameof(beats));
                var kept = beat.Rhythm.AsSpan(0, rhythmCount);
                if (!AllFinite(kept))
                    throw new ArgumentException($"{where} has NaN or infinite beat features", nameof(beats));
                kept.CopyTo(rhythm.AsSpan(checked(i * rhythmCount)));
            }
            records[i] = beat.Record;
            samples[i] = beat.Sample;
        }
        return new BeatSet(length, rhythmCount, waveforms, rhythm, labels, records, samples);
    }

    /// <summary>The beats at <paramref name="indices"/>, in that order.</summary>
    public BeatSet Subset(IReadOnlyList<int> indices)
    {
        var w = new float[(long)indices.Count * Length];
        var r = new float[(long)indices.Count * RhythmCount];
        var l = new AamiClass[indices.Count];
        var rec = new string[indices.Count];
        var sam = new long[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            var j = indices[i];
            Array.Copy(waveforms, (long)j * Length, w, (long)i * Length, Length);
            Array.Copy(rhythm, (long)j * RhythmCount, r, (long)i * RhythmCount, RhythmCount);
            l[i] = labels[j];
            rec[i] = records[j];
            sam[i] = samples[j];
        }
        return new BeatSet(Length, RhythmCount, w, r, l, rec, sam);
    }

    /// <summary>The beats whose record is in <paramref name="recordNames"/>.</summary>
    public BeatSet OfRecords(IEnumerable<string> recordNames)
    {
        var wanted = recordNames.ToHashSet(StringComparer.Ordinal);
        return Subset([.. Enumerable.Range(0, Count).Where(i => wanted.Contains(records[i]))]);
    }

    /// <summary>Mean and standard deviation of each beat feature over the set (a constant feature gets scale 1).</summary>
    public Models.FeatureStandardisation FeatureStandardisation()
    {
        if (Count == 0) throw new InvalidOperationException("no beats to fit a feature standardisation on");
        var mean = new double[RhythmCount];
        var square = new double[RhythmCount];
        for (var i = 0; i < Count; i++)
        for (var f = 0; f < RhythmCount; f++)
        {
            double v = rhythm[(long)i * RhythmCount + f];
            mean[f] += v;
            square[f] += v * v;
        }
        var means = new float[RhythmCount];
        var scales = new float[RhythmCount];
        for (var f = 0; f < RhythmCount; f++)
        {
            var m = mean[f] / Count;
            var sd = Math.Sqrt(Math.Max(0, square[f] / Count - m * m));
            means[f] = (float)m;
            scales[f] = sd > 1e-6 ? (float)sd : 1f;
        }
        return new Models.FeatureStandardisation(means, scales);
    }

    /// <summary>Concatenation of sets with the same shape.</summary>
    public static BeatSet Concat(IReadOnlyList<BeatSet> sets)
    {
        if (sets.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(sets));
        var first = sets[0];
        if (sets.Any(s => s.Length != first.Length || s.RhythmCount != first.RhythmCount))
            throw new ArgumentException("beat sets of different waveform lengths or rhythm counts cannot be joined", nameof(sets));
        return new BeatSet(first.Length, first.RhythmCount,
            [.. sets.SelectMany(s => s.waveforms)], [.. sets.SelectMany(s => s.rhythm)],
            [.. sets.SelectMany(s => s.labels)], [.. sets.SelectMany(s => s.records)], [.. sets.SelectMany(s => s.samples)]);
    }

    /// <summary>Waveforms [B, 1, L], rhythm [B, R] and class indices [B] (int64) of the beats at <paramref name="indices"/>.</summary>
    public (Tensor Waveform, Tensor Rhythm, Tensor Labels) Batch(ReadOnlySpan<int> indices)
    {
        var w = new float[indices.Length * Length];
        var r = new float[indices.Length * RhythmCount];
        var l = new long[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var j = indices[i];
            Array.Copy(waveforms, (long)j * Length, w, (long)i * Length, Length);
            Array.Copy(rhythm, (long)j * RhythmCount, r, (long)i * RhythmCount, RhythmCount);
            l[i] = (long)labels[j];
        }
        return (tensor(w, [indices.Length, 1, Length]), tensor(r, [indices.Length, RhythmCount]), tensor(l, [indices.Length]));
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values)
        {
            if (!float.IsFinite(v)) return false;
        }
        return true;
    }
}
