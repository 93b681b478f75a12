using EcgOrleans.Signal.Filters;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Beats;

/// <summary>An R peak to cut a beat around, with its reference label when annotations give one.</summary>
public readonly record struct BeatMark(long Sample, AamiClass? Reference = null, AnnotationCode? Code = null);

/// <summary>
/// Cuts beats from a stream of one lead: removes the baseline, waits until a beat's window and its
/// next R peak are known, then emits the beat in the run's representation with its rhythm features.
/// Streaming and chunk-invariant: the beats are the same whatever the chunk sizes, one beat per mark,
/// the record's first and last beats included (their windows are padded with the edge values).
/// Memory stays bounded: only the samples the pending beats still need are kept.
/// </summary>
public sealed partial class BeatSegmenter
{
    /// <summary>Longest RR interval taken at face value; longer pauses count as this long (and bound memory).</summary>
    public const double MaxRrSeconds = 10;

    /// <summary>RR assumed when a record has a single beat.</summary>
    public const double DefaultRrSeconds = 0.8;

    private const int LocalBeats = 10;
    private const double MedianWindowSeconds = 10;
    private const double KachueeRrFactor = 1.2;

    private readonly BaselineRemover _baseline;
    private readonly MorphologyTracker _morphology;
    private readonly List<float> _fresh = [];
    private readonly List<BeatMark> _pending = [];
    private readonly Queue<double> _recentRr = new();        // pre-RR (s) of the last LocalBeats beats
    private readonly Queue<(long R, double Rr)> _windowRr = new(); // pre-RR (s) of beats in the last 10 s
    // Grows to what the pending beats need: a live record, a second at a time, keeps a few seconds of samples.
    private const int InitialFilteredSamples = 1024;
    private float[] _filtered = new float[InitialFilteredSamples];
    private long _filteredStart;   // absolute sample index of _filtered[0]
    private long _filteredEnd;     // absolute index one past the last filtered sample
    private long _samplesPushed;
    private long _watermark;       // every mark before this sample has been pushed
    private long? _lastMark;
    private long? _previousR;
    private double _rrSum;
    private long _rrCount;
    private bool _completed;

    public BeatSegmenter(string record, double samplingFrequency, BeatRepresentation representation)
        : this(record, samplingFrequency, representation, new BaselineRemover(ValidFrequency(samplingFrequency)), new MorphologyTracker(representation.Length, QrsSpan(representation)))
    {
    }

    private BeatSegmenter(string record, double samplingFrequency, BeatRepresentation representation, BaselineRemover baseline, MorphologyTracker morphology)
    {
        Record = record;
        SamplingFrequency = samplingFrequency;
        Representation = representation;
        _baseline = baseline;
        _morphology = morphology;
    }

    private static double ValidFrequency(double fs) =>
        fs > 0 && double.IsFinite(fs) ? fs : throw new ArgumentOutOfRangeException("samplingFrequency", fs, "must be a positive frequency");

    public string Record { get; }

    public double SamplingFrequency { get; }

    public BeatRepresentation Representation { get; }

    public long SamplesPushed => _samplesPushed;

    /// <summary>Marks received but not yet cut into beats.</summary>
    public int PendingBeats => _pending.Count;

    /// <summary>Samples held in memory (bounded by the longest pause and the window).</summary>
    public int BufferedSamples => (int)(_filteredEnd - _filteredStart);

    /// <summary>
    /// Pushes the next chunk of samples (mV) and the marks that lie in the stream so far. Marks must be
    /// strictly increasing and lie before the end of the samples pushed. <paramref name="marksCompleteBefore"/>
    /// promises that no mark before that sample will come later (default: the end of this chunk, as with
    /// reference annotations sent with their chunk; a QRS detector passes its own horizon).
    /// The input is checked whole before anything changes: a refused push leaves the segmenter as it was.
    /// </summary>
    public IReadOnlyList<Beat> Push(ReadOnlySpan<float> samples, ReadOnlySpan<BeatMark> marks, long? marksCompleteBefore = null)
    {
        if (_completed) throw new InvalidOperationException($"record {Record}: the stream is complete; nothing more can be pushed");
        var end = _samplesPushed + samples.Length;
        var watermark = marksCompleteBefore ?? end;
        if (watermark > end)
            throw new ArgumentException($"record {Record}: marks cannot be complete up to sample {watermark}, beyond the {end} samples pushed", nameof(marksCompleteBefore));
        if (watermark < _watermark)
            throw new ArgumentException($"record {Record}: the mark horizon moved back from {_watermark} to {watermark}", nameof(marksCompleteBefore));
        var last = _lastMark;
        foreach (var mark in marks)
        {
            if (mark.Sample < _watermark)
                throw new ArgumentException($"record {Record}: a beat at sample {mark.Sample} arrives after the stream was declared complete up to {_watermark}", nameof(marks));
            if (last is { } previous && mark.Sample <= previous)
                throw new ArgumentException($"record {Record}: beat marks must increase; {mark.Sample} follows {previous}", nameof(marks));
            if (mark.Sample >= end)
                throw new ArgumentException($"record {Record}: a beat at sample {mark.Sample} lies beyond the {end} samples pushed", nameof(marks));
            last = mark.Sample;
        }

        _fresh.Clear();
        _baseline.Push(samples, _fresh);
        Append(_fresh);
        foreach (var mark in marks) _pending.Add(mark);
        _lastMark = last;
        _samplesPushed = end;
        _watermark = watermark;
        return Emit();
    }

    /// <summary>Ends the record: the last samples are filtered and every pending beat comes out.</summary>
    public IReadOnlyList<Beat> Complete()
    {
        if (_completed) return [];
        _fresh.Clear();
        _baseline.Complete(_fresh);
        Append(_fresh);
        _completed = true;
        _watermark = _samplesPushed;
        return Emit();
    }

    private List<Beat> Emit()
    {
        var beats = new List<Beat>();
        var fs = SamplingFrequency;
        var maxRr = (long)Math.Round(MaxRrSeconds * fs);
        while (_pending.Count > 0)
        {
            var mark = _pending[0];
            double postRr;
            if (_pending.Count > 1) postRr = Math.Min(_pending[1].Sample - mark.Sample, maxRr) / fs;
            else if (_watermark > mark.Sample + maxRr) postRr = MaxRrSeconds;
            else if (_completed) postRr = double.NaN; // the record's last beat: no next beat
            else break;

            double preRr = _previousR is { } previous ? Math.Min(mark.Sample - previous, maxRr) / fs : double.NaN;
            if (double.IsNaN(preRr) && double.IsNaN(postRr)) preRr = postRr = DefaultRrSeconds;
            else if (double.IsNaN(preRr)) preRr = postRr;
            else if (double.IsNaN(postRr)) postRr = preRr;

            var (segmentEnd, kachueeLength) = SegmentEnd(mark.Sample, preRr, postRr);
            if (!_completed && _filteredEnd < segmentEnd) break;

            beats.Add(Cut(mark, preRr, postRr, kachueeLength));
            _previousR = mark.Sample;
            _pending.RemoveAt(0);
        }
        Trim();
        return beats;
    }

    /// <summary>The sample (exclusive) a beat's waveform reaches to, and for Kachuee the segment length at 125 Hz.</summary>
    private (long End, int KachueeLength) SegmentEnd(long r, double preRr, double postRr)
    {
        var rep = Representation;
        var step = SamplingFrequency / rep.SamplingFrequency;
        if (rep.Kind == RepresentationKind.Window)
            return (r + (long)Math.Ceiling((rep.Length - rep.SamplesBeforeR - 1) * step) + 2, 0);

        var median = MedianRr(r, preRr, postRr);
        var length = (int)Math.Clamp(Math.Floor(KachueeRrFactor * median * rep.SamplingFrequency), 1, rep.Length);
        return (r + (long)Math.Ceiling((length - 1) * step) + 2, length);
    }

    private Beat Cut(BeatMark mark, double preRr, double postRr, int kachueeLength)
    {
        // Running statistics include this beat's own pre-RR: causal, chunk-invariant.
        _rrSum += preRr;
        _rrCount++;
        _recentRr.Enqueue(preRr);
        if (_recentRr.Count > LocalBeats) _recentRr.Dequeue();
        _windowRr.Enqueue((mark.Sample, preRr));
        var horizon = mark.Sample - (long)(MedianWindowSeconds * SamplingFrequency);
        while (_windowRr.Count > 0 && _windowRr.Peek().R <= horizon) _windowRr.Dequeue();

        var average = _rrSum / _rrCount;
        var local = _recentRr.Average();

        var (waveform, amplitude) = Representation.Kind == RepresentationKind.Window
            ? CutWindow(mark.Sample)
            : CutKachuee(mark.Sample, kachueeLength);
        var (relativeAmplitude, templateDistance) = _morphology.Next(waveform, amplitude, regular: IsRegular(preRr / local) && IsRegular(postRr / local));
        float[] features =
        [
            (float)(preRr / average), (float)(postRr / average), (float)(local / average), (float)average,
            relativeAmplitude, templateDistance,
        ];
        return new Beat(Record, mark.Sample, mark.Reference, mark.Code, waveform, features);
    }

    /// <summary>
    /// The samples the template distance compares: the QRS complex, R ± 100 ms (from R on for Kachuee beats, which
    /// start there). Over the whole window, P, T and flutter waves made normal beats of atrial flutter look unlike
    /// their template.
    /// </summary>
    internal static Range QrsSpan(BeatRepresentation representation)
    {
        var half = (int)Math.Round(0.1 * representation.SamplingFrequency);
        var start = Math.Max(0, representation.SamplesBeforeR - half);
        return start..Math.Min(representation.Length, representation.SamplesBeforeR + half + 1);
    }

    /// <summary>An RR interval within 20 % of the local one: the beat is neither premature nor followed by a pause.</summary>
    private static bool IsRegular(double relativeRr) => relativeRr is >= 0.8 and <= 1.2;

    /// <summary>The standardised window and its standard deviation before standardisation (mV).</summary>
    private (float[] Values, double Scale) CutWindow(long r)
    {
        var rep = Representation;
        var step = SamplingFrequency / rep.SamplingFrequency;
        var values = new float[rep.Length];
        double mean = 0;
        for (var k = 0; k < rep.Length; k++)
        {
            values[k] = At(r + (k - rep.SamplesBeforeR) * step);
            mean += values[k];
        }
        mean /= rep.Length;
        double variance = 0;
        foreach (var v in values) variance += (v - mean) * (v - mean);
        var sd = Math.Sqrt(variance / rep.Length);
        for (var k = 0; k < rep.Length; k++)
            values[k] = sd > 1e-6 ? (float)((values[k] - mean) / sd) : 0f;
        return (values, sd);
    }

    /// <summary>The segment scaled to [0, 1] and zero-padded, and its range before scaling (mV).</summary>
    private (float[] Values, double Scale) CutKachuee(long r, int length)
    {
        var rep = Representation;
        var step = SamplingFrequency / rep.SamplingFrequency;
        var values = new float[rep.Length]; // zero padding past the segment: the RR leak the paper exposes
        float min = float.MaxValue, max = float.MinValue;
        for (var k = 0; k < length; k++)
        {
            values[k] = At(r + k * step);
            min = Math.Min(min, values[k]);
            max = Math.Max(max, values[k]);
        }
        var range = max - min;
        for (var k = 0; k < length; k++)
            values[k] = range > 1e-6f ? (values[k] - min) / range : 0f;
        return (values, range);
    }

    /// <summary>Median RR (s) over the beats of the last 10 s and this beat's next interval.</summary>
    private double MedianRr(long r, double preRr, double postRr)
    {
        var horizon = r - (long)(MedianWindowSeconds * SamplingFrequency);
        var intervals = new List<double>(_windowRr.Count + 2) { preRr, postRr };
        foreach (var (beat, rr) in _windowRr)
        {
            if (beat > horizon) intervals.Add(rr);
        }
        intervals.Sort();
        var n = intervals.Count;
        return n % 2 == 1 ? intervals[n / 2] : (intervals[n / 2 - 1] + intervals[n / 2]) / 2;
    }

    /// <summary>The filtered signal at a fractional position, linear interpolation, edges repeated.</summary>
    private float At(double position)
    {
        var last = _filteredEnd - 1;
        if (position <= 0) return Value(0);
        if (position >= last) return Value(last);
        var i = (long)Math.Floor(position);
        var frac = (float)(position - i);
        var a = Value(i);
        return frac == 0 ? a : a + (Value(i + 1) - a) * frac;
    }

    private float Value(long absolute) => _filtered[absolute - _filteredStart];

    private void Append(List<float> fresh)
    {
        var length = (int)(_filteredEnd - _filteredStart);
        if (length + fresh.Count > _filtered.Length)
            Array.Resize(ref _filtered, Math.Max(_filtered.Length * 2, length + fresh.Count));
        fresh.CopyTo(_filtered, length);
        _filteredEnd += fresh.Count;
    }

    /// <summary>Drops samples no pending beat can reach (the first sample stays while a window may pad with it).</summary>
    private void Trim()
    {
        var oldestNeeded = _pending.Count > 0 ? _pending[0].Sample : _samplesPushed;
        var keepFrom = oldestNeeded - (long)Math.Ceiling(Representation.SamplesBeforeR * SamplingFrequency / Representation.SamplingFrequency) - 2;
        keepFrom = Math.Min(keepFrom, _filteredEnd - 1);
        if (keepFrom <= _filteredStart || keepFrom <= 0) return;
        var drop = (int)(keepFrom - _filteredStart);
        var length = (int)(_filteredEnd - _filteredStart);
        Array.Copy(_filtered, drop, _filtered, 0, length - drop);
        _filteredStart = keepFrom;
    }
}
