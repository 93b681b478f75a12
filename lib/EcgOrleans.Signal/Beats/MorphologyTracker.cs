using EcgOrleans.Signal.Filters;

namespace EcgOrleans.Signal.Beats;

/// <summary>
/// How a beat compares with the beats of its own record so far: its amplitude relative to the record's average
/// amplitude, and how far its shape lies from the record's running template. A model that sees every beat
/// standardised on its own cannot tell that a beat is twice as tall as this patient's beats, or unlike them;
/// these two numbers tell it, in units that compare across patients (the RR features' idea, for shape).
/// The template is a running mean of the record's dominant beats: a beat joins it when its rhythm is regular or its
/// shape already matches, so that runs of premature ectopic beats do not become the template they are measured by.
/// Causal and chunk-invariant: each beat is compared with the beats before it, over the <paramref name="compared"/> span.
/// </summary>
internal sealed class MorphologyTracker(int length, Range compared)
{
    /// <summary>Beats the template averages over: a plain mean for the first ones, then an exponential mean of this span.</summary>
    public const int TemplateBeats = 32;

    /// <summary>A beat this close to the template joins it even when its rhythm is irregular (atrial fibrillation).</summary>
    public const double SimilarDistance = 0.1;

    // Only the compared span is kept: the rest of a beat never enters a distance.
    private readonly (int Start, int Count) _span = compared.GetOffsetAndLength(length);
    private readonly double[] _template = new double[compared.GetOffsetAndLength(length).Length];
    private double _amplitudeSum;
    private long _beats;
    private long _templateBeats;

    /// <summary>
    /// The features of the next beat of the record: <paramref name="amplitude"/> (its scale before normalisation)
    /// over the mean amplitude of the record's beats up to and including it, and 1 − the Pearson correlation of
    /// <paramref name="waveform"/> with the template of the beats before it (0 for the first beat).
    /// The template then takes the beat in when it is <paramref name="regular"/> (neither premature nor followed by a
    /// pause), close to the template, or the first.
    /// </summary>
    public (float Amplitude, float TemplateDistance) Next(ReadOnlySpan<float> waveform, double amplitude, bool regular = true)
    {
        if (waveform.Length != length)
            throw new ArgumentException($"a beat of {waveform.Length} samples for a template of {length}", nameof(waveform));
        var shape = waveform.Slice(_span.Start, _span.Count);
        var distance = _templateBeats == 0 ? 0 : 1 - Correlation(shape, _template);
        _beats++;
        _amplitudeSum += amplitude;
        var mean = _amplitudeSum / _beats;
        var relative = mean > 1e-9 ? amplitude / mean : 1;

        if (regular || distance < SimilarDistance || _templateBeats == 0)
        {
            _templateBeats++;
            var weight = 1.0 / Math.Min(_templateBeats, TemplateBeats);
            for (var i = 0; i < _template.Length; i++) _template[i] += (shape[i] - _template[i]) * weight;
        }
        return ((float)relative, (float)distance);
    }

    /// <summary>Pearson correlation; 0 when either side is flat (no shape to compare).</summary>
    private static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<double> b)
    {
        double meanA = 0, meanB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            meanA += a[i];
            meanB += b[i];
        }
        meanA /= a.Length;
        meanB /= a.Length;
        double ab = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var x = a[i] - meanA;
            var y = b[i] - meanB;
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return aa > 1e-12 && bb > 1e-12 ? ab / Math.Sqrt(aa * bb) : 0;
    }

    public void Save(BinaryWriter w)
    {
        w.Write(_beats);
        w.Write(_templateBeats);
        w.Write(_amplitudeSum);
        w.Write(_template.Length);
        foreach (var v in _template) w.Write(v);
    }

    public static MorphologyTracker Load(BinaryReader r, int length, Range compared)
    {
        var tracker = new MorphologyTracker(length, compared);
        tracker._beats = r.ReadInt64();
        tracker._templateBeats = r.ReadInt64();
        if (tracker._beats < 0 || tracker._templateBeats < 0 || tracker._templateBeats > tracker._beats)
            throw new InvalidDataException($"corrupt state snapshot: {tracker._templateBeats} template beats of {tracker._beats}");
        tracker._amplitudeSum = r.ReadDouble();
        var span = tracker._template.Length;
        if (StateFormat.Count(r.ReadInt32(), length) != span)
            throw new InvalidDataException($"corrupt state snapshot: the template's length differs from the compared span's {span}");
        for (var i = 0; i < span; i++) tracker._template[i] = r.ReadDouble();
        return tracker;
    }
}
