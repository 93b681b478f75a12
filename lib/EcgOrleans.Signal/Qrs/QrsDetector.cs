namespace EcgOrleans.Signal.Qrs;

/// <summary>
/// Streaming QRS detector for one ECG lead, after Pan and Tompkins (1985): band-pass, derivative, squaring and
/// moving-window integration make a feature signal whose local maxima are candidates; adaptive thresholds,
/// T-wave rejection and search-back decide which are QRS complexes (<see cref="QrsDecisionRules"/>); each
/// detection is then placed on the R peak of the lead.
/// <para>
/// Every step runs sample by sample on fixed-size state, so the detections are the same however the record is
/// cut into chunks, and memory does not grow with the record. A detection becomes final about 0.35 s after its
/// R peak (0.2 s of look-ahead on the feature signal); a beat found by search-back, 1.66 RR intervals after the
/// beat before it; the beats of the first 2 s, when learning ends (measured on MIT-BIH: median 0.35 s, 95th
/// percentile 0.39 s, at most 1.9 s).
/// </para>
/// </summary>
public sealed partial class QrsDetector
{
    /// <summary>Sampling frequencies the detector accepts, in Hz.</summary>
    public const double MinSamplingFrequency = 50, MaxSamplingFrequency = 20_000;

    private readonly QrsDetectorSettings _settings;
    private readonly int _derivativeSpan, _integrationWindow, _peakHalfWidth, _smoothing;
    private readonly int _slopeLag, _rSearchBefore, _rSearchAfter, _sharpnessHalfWidth, _extremumRefine;
    private readonly int _rBeforePeak; // how far before its candidate peak LocateR can place an R peak

    private Biquad _highPass1, _highPass2, _lowPass1, _lowPass2, _baseline;
    private readonly SampleRing _baselineRemoved, _smoothedLead; // for placing the R peak
    private readonly SampleRing _bandPassed, _slope, _squared, _integrated; // the feature signal and its steps
    private double _integralSum;
    private readonly SlidingMaximum _peaks;
    private readonly QrsDecisionRules _rules;

    private long _next; // number of the next sample
    private long _end = long.MaxValue; // first sample after the record, once completed
    private double _held; // last finite sample: stands in for missing ones
    private bool _seenSignal;
    private bool _completed;
    private long _lastEmitted = -1;
    private readonly List<long> _emitted = [];

    public QrsDetector(double samplingFrequency) : this(samplingFrequency, QrsDetectorSettings.Default)
    {
    }

    internal QrsDetector(double samplingFrequency, QrsDetectorSettings settings)
    {
        if (!(samplingFrequency >= MinSamplingFrequency && samplingFrequency <= MaxSamplingFrequency))
            throw new ArgumentOutOfRangeException(nameof(samplingFrequency), samplingFrequency, "QRS detection needs a sampling frequency between 50 Hz and 20 kHz");
        SamplingFrequency = samplingFrequency;
        _settings = settings;
        _highPass1 = Biquad.HighPass(settings.HighPassHz, samplingFrequency);
        _highPass2 = Biquad.HighPass(settings.HighPassHz, samplingFrequency);
        _lowPass1 = Biquad.LowPass(settings.LowPassHz, samplingFrequency);
        _lowPass2 = Biquad.LowPass(settings.LowPassHz, samplingFrequency);
        _baseline = Biquad.HighPass(settings.BaselineHighPassHz, samplingFrequency);

        _derivativeSpan = Math.Max(1, Samples(settings.DerivativeSpan));
        _integrationWindow = Math.Max(1, Samples(settings.IntegrationWindow));
        _peakHalfWidth = Math.Max(1, Samples(settings.PeakHalfWidth));
        _smoothing = 2 * Samples(settings.SmoothingWindow / 2) + 1; // odd, so that its delay is a whole sample count
        _slopeLag = Samples(settings.SlopeLag);
        _rSearchBefore = Samples(settings.RSearchBefore);
        _rSearchAfter = Samples(settings.RSearchAfter);
        _sharpnessHalfWidth = Math.Max(1, Samples(settings.SharpnessHalfWidth));
        _extremumRefine = Samples(settings.ExtremumRefine);
        // Describe looks for the steepest slope at most an integration window before the peak; LocateR searches from
        // the slope lag plus the search span before that point, and refinement moves the R at most one step earlier.
        _rBeforePeak = _integrationWindow + _slopeLag + _rSearchBefore + _extremumRefine;
        // See DetectionsCompleteBefore: a candidate held while learning peaks after learning started, one held for a
        // search-back no more than the reach before the last examined position.
        MaxHorizonLag = Math.Max(Samples(settings.LearningTime), _peakHalfWidth + 1 + Samples(settings.SearchBackReach)) + _rBeforePeak;

        // A candidate is decided a half-width after its peak; its R search reaches back from the peak over the
        // integration window, the slope lag, the search span, the sharpness window and the refinement.
        var history = _peakHalfWidth + _integrationWindow + _slopeLag + _rSearchBefore + _sharpnessHalfWidth + _extremumRefine + _smoothing + 8;
        _bandPassed = new SampleRing(history);
        _slope = new SampleRing(history);
        _squared = new SampleRing(history);
        _integrated = new SampleRing(history);
        _smoothedLead = new SampleRing(history);
        _baselineRemoved = new SampleRing(history);
        _peaks = new SlidingMaximum(2 * _peakHalfWidth + 1);
        _rules = new QrsDecisionRules(settings, samplingFrequency, Emit);
    }

    public double SamplingFrequency { get; }

    internal QrsDetectorSettings Settings => _settings;

    /// <summary>
    /// The most <see cref="DetectionsCompleteBefore"/> can trail <see cref="SampleCount"/> while streaming, in
    /// samples (about 10.56 s at any sampling frequency with the default settings): what a consumer must be ready to hold.
    /// </summary>
    public long MaxHorizonLag { get; }

    /// <summary>Samples of the record consumed so far.</summary>
    public long SampleCount => _completed ? _end : _next;

    /// <summary>
    /// Every R peak before this sample that the detector will ever report has already been returned: the horizon a
    /// beat segmenter takes as <c>marksCompleteBefore</c>. It never moves back, depends only on the samples fed (not
    /// on how they were chunked), and is the record's length once <see cref="Complete"/> was called.
    /// <para>
    /// Why it is safe: a detection is a candidate (a peak of the integrated signal) that the decision rules accept,
    /// either when it is seen or later (when learning ends, or by a search-back). The candidates seen so far that
    /// can still be accepted are exactly those the rules hold (<see cref="QrsDecisionRules.EarliestUndecidedR"/>),
    /// and their R peaks are already placed. A candidate not yet seen peaks at or after <c>next − half-width</c>
    /// (peaks up to <c>next − 1 − half-width</c> were examined), and LocateR places its R at most
    /// <c>_rBeforePeak</c> samples before its peak. The horizon is the smaller of the two bounds; neither moves
    /// back, since a candidate added to the held ones has its R at or after every earlier future bound.
    /// The held candidates are bounded in age: those waiting for learning to end peak after it started (the
    /// learning time before the current sample at most), and noise peaks older than the search-back reach are
    /// dropped; hence <see cref="MaxHorizonLag"/>. While streaming, the horizon trails the last sample by
    /// 0.56 s, more while learning or while noise peaks wait for a search-back (at most 5.3 s on MIT-BIH).
    /// </para>
    /// </summary>
    public long DetectionsCompleteBefore
    {
        get
        {
            if (_completed) return _end;
            var unseen = _next - _peakHalfWidth - _rBeforePeak;
            return Math.Max(0, Math.Min(unseen, _rules.EarliestUndecidedR));
        }
    }

    /// <summary>
    /// Feeds the next samples of the lead (mV; NaN or an infinity marks a missing sample, which holds the last
    /// valid value) and returns the R peaks that became final with them: sample numbers from the start of the
    /// record, increasing.
    /// </summary>
    public IReadOnlyList<long> Process(ReadOnlySpan<float> samplesMv)
    {
        if (_completed) throw new InvalidOperationException("Complete() was called: the record is over; use a new detector for a new record");
        _emitted.Clear();
        foreach (var sample in samplesMv)
        {
            if (float.IsFinite(sample))
            {
                if (!_seenSignal) StartAt(sample);
                _held = sample;
            }
            Step(_held);
        }
        return Drain();
    }

    /// <summary>Ends the record and returns the R peaks that were waiting for samples that will not come.</summary>
    public IReadOnlyList<long> Complete()
    {
        if (_completed) return [];
        _completed = true;
        _emitted.Clear();
        _end = _next;
        _rules.EndLearning();
        // Flat padding carries the last complexes through the filters and the look-ahead; no R peak is placed in it.
        var padding = _peakHalfWidth + _integrationWindow + _smoothing + Samples(0.2);
        for (var i = 0; i < padding; i++) Step(_held);
        return Drain();
    }

    /// <summary>The R peaks of a whole lead, in one call.</summary>
    public static IReadOnlyList<long> Detect(ReadOnlySpan<float> samplesMv, double samplingFrequency)
    {
        var detector = new QrsDetector(samplingFrequency);
        var peaks = new List<long>(detector.Process(samplesMv));
        peaks.AddRange(detector.Complete());
        return peaks;
    }

    /// <summary>
    /// The lead is taken to have been at its first valid value before it started (or before the missing samples
    /// that opened it), so its offset does not ring through the high-pass filters.
    /// </summary>
    private void StartAt(double first)
    {
        _seenSignal = true;
        _highPass1.Settle(first);
        _baseline.Settle(first);
    }

    private int Samples(double seconds) => (int)Math.Round(seconds * SamplingFrequency);

    private IReadOnlyList<long> Drain() => _emitted.Count == 0 ? [] : _emitted.ToArray();

    private void Step(double x)
    {
        var n = _next++;
        _baselineRemoved[n] = _baseline.Next(x);
        // Centred moving mean: the value smoothed around sample n - delay is known at n.
        var delay = _smoothing / 2;
        if (n >= delay)
        {
            double sum = 0;
            for (var i = Math.Max(0, n - _smoothing + 1); i <= n; i++) sum += _baselineRemoved[i];
            _smoothedLead[n - delay] = sum / Math.Min(_smoothing, n + 1);
        }

        var bandPassed = _lowPass2.Next(_lowPass1.Next(_highPass2.Next(_highPass1.Next(x))));
        _bandPassed[n] = bandPassed;
        var derivative = n >= _derivativeSpan ? bandPassed - _bandPassed[n - _derivativeSpan] : 0;
        _slope[n] = Math.Abs(derivative);
        var squared = derivative * derivative;
        _integralSum += squared - (n >= _integrationWindow ? _squared[n - _integrationWindow] : 0);
        _squared[n] = squared;
        // Re-adding the window now and then keeps rounding residue (after a huge artifact) from lingering.
        if (n % _integrationWindow == 0) _integralSum = SumOfSquaresEndingAt(n);
        var integrated = Math.Max(0, _integralSum) / _integrationWindow;
        _integrated[n] = integrated;

        _peaks.Push(n, integrated);
        var candidate = n - _peakHalfWidth;
        if (candidate >= 0 && _peaks.ArgMax == candidate && _integrated[candidate] > _settings.SilentEnergy) _rules.OnCandidate(Describe(candidate));
        _rules.OnSample(integrated, candidate);
    }

    private double SumOfSquaresEndingAt(long n)
    {
        double sum = 0;
        for (var i = Math.Max(0, n - _integrationWindow + 1); i <= n; i++) sum += _squared[i];
        return sum;
    }

    /// <summary>Features of a candidate peak of the integrated signal, and where its R peak is.</summary>
    private QrsCandidate Describe(long peak)
    {
        var steepest = Math.Max(0, peak - _integrationWindow);
        for (var i = steepest + 1; i <= peak; i++)
        {
            if (_slope[i] > _slope[steepest]) steepest = i;
        }
        return new QrsCandidate(peak, _integrated[peak], _slope[steepest], LocateR(steepest - _slopeLag));
    }

    /// <summary>
    /// The R peak near <paramref name="centre"/>: the sharpest deflection of the lead (its height above a moving
    /// mean over ±50 ms, which flattens broad P and T waves and the slow humps of wide ventricular beats), a
    /// positive one unless a negative one is clearly larger, then the extremum of that sign within ±10 ms.
    /// </summary>
    private long LocateR(long centre)
    {
        var k = _sharpnessHalfWidth;
        var known = _next - 1 - _smoothing / 2; // last sample of the smoothed lead
        var from = Math.Max(centre - _rSearchBefore, k);
        var to = Math.Min(Math.Min(centre + _rSearchAfter, known - k), _end - 1);
        if (from > to) return Math.Clamp(centre, 0, Math.Min(known, _end - 1));

        var windowSum = 0.0;
        for (var j = from - k; j <= from + k; j++) windowSum += _smoothedLead[j];
        long best = from;
        double bestScore = double.NegativeInfinity, bestSign = 1;
        for (var i = from; i <= to; i++)
        {
            if (i > from) windowSum += _smoothedLead[i + k] - _smoothedLead[i - k - 1];
            var sharpness = _smoothedLead[i] - windowSum / (2 * k + 1);
            var score = sharpness >= 0 ? sharpness : -sharpness * _settings.NegativeWeight;
            if (score > bestScore)
            {
                bestScore = score;
                best = i;
                bestSign = sharpness >= 0 ? 1 : -1;
            }
        }

        var r = best;
        var last = Math.Min(best + _extremumRefine, Math.Min(known, _end - 1));
        for (var i = Math.Max(0, best - _extremumRefine); i <= last; i++)
        {
            if (bestSign * _smoothedLead[i] > bestSign * _smoothedLead[r]) r = i;
        }
        return r;
    }

    private void Emit(QrsCandidate accepted)
    {
        // Detections are final and increasing; one placed on the padding after the record is dropped.
        if (accepted.R <= _lastEmitted || accepted.R >= _end) return;
        _lastEmitted = accepted.R;
        _emitted.Add(accepted.R);
    }
}
