namespace EcgOrleans.Signal.Qrs;

/// <summary>
/// The decision rules of Pan and Tompkins (1985) over candidate peaks of the integrated signal: running QRS and
/// noise levels with a threshold between them, a refractory period, T-wave rejection by slope, and search-back
/// for a beat missed when no QRS came within 1.66 RR intervals. Changes from the paper: the expected RR interval
/// is the median of the last eight (the paper's "regular" average can lock on a wrong value and never recover),
/// one peak can raise the QRS level only by a bounded factor, and a long silence decays the QRS level.
/// Candidates arrive in time order; every accepted one is passed to <c>accept</c>, also in time order.
/// </summary>
internal sealed class QrsDecisionRules
{
    private const int NoiseHistory = 32; // search-back pool: bounded, however long the record is quiet

    private readonly QrsDetectorSettings _settings;
    private readonly Action<QrsCandidate> _accept;
    private readonly long _learningSamples, _refractory, _tWaveWindow, _silenceBeforeDecay;

    private bool _learning = true;
    private long _learned; // samples seen while learning
    private double _learnMax, _learnSum;
    private readonly List<QrsCandidate> _waiting = []; // candidates that arrived while learning

    private double _qrsLevel, _noiseLevel;
    private QrsCandidate? _last;
    private readonly Queue<QrsCandidate> _noise = new(); // noise peaks since the last QRS
    private bool _searchedSinceLastNoise;

    private readonly double[] _rr;
    private readonly double[] _rrSorted;
    private int _rrCount, _rrNext;
    private double _expectedRr; // median of the recent RR intervals, in samples; 0 until one is known

    public QrsDecisionRules(QrsDetectorSettings settings, double samplingFrequency, Action<QrsCandidate> accept)
    {
        _settings = settings;
        _accept = accept;
        _learningSamples = Samples(settings.LearningTime, samplingFrequency);
        _refractory = Samples(settings.Refractory, samplingFrequency);
        _tWaveWindow = Samples(settings.TWaveWindow, samplingFrequency);
        _silenceBeforeDecay = Samples(settings.SilenceBeforeDecay, samplingFrequency);
        _rr = new double[settings.RrHistory];
        _rrSorted = new double[settings.RrHistory];
    }

    private double Threshold => _noiseLevel + _settings.ThresholdFraction * (_qrsLevel - _noiseLevel);

    /// <summary>
    /// Called for every sample of the integrated signal, once the candidates up to <paramref name="settledUpTo"/>
    /// have been passed to <see cref="OnCandidate"/>.
    /// </summary>
    public void OnSample(double integrated, long settledUpTo)
    {
        if (_learning)
        {
            // A flat start (missing samples, a lead off) teaches nothing: learning starts with the signal.
            if (integrated <= 0 && _learned == 0) return;
            _learnMax = Math.Max(_learnMax, integrated);
            _learnSum += integrated;
            if (++_learned >= _learningSamples) EndLearning();
            return;
        }
        if (_last is { } last && _expectedRr > 0 && !_searchedSinceLastNoise)
        {
            var silence = settledUpTo - last.Peak;
            if (silence > _settings.SearchBackFactor * _expectedRr) SearchBack(silence);
        }
    }

    public void OnCandidate(QrsCandidate candidate)
    {
        if (_learning) _waiting.Add(candidate);
        else Decide(candidate);
    }

    /// <summary>Ends learning with what was seen, for records shorter than the learning time.</summary>
    public void EndLearning()
    {
        if (!_learning) return;
        _learning = false;
        // Initial levels as in Pan and Tompkins: a third of the largest peak, half the mean.
        _qrsLevel = _learnMax / 3;
        _noiseLevel = _learned == 0 ? 0 : _learnSum / _learned / 2;
        foreach (var candidate in _waiting) Decide(candidate);
        _waiting.Clear();
    }

    private void Decide(QrsCandidate c)
    {
        if (_last is { } last && c.Peak - last.Peak < _refractory) return;
        if (c.Energy > Threshold && !IsTWave(c))
        {
            RaiseQrsLevel(c.Energy, 0.125);
            Accept(c);
            return;
        }
        _noiseLevel += 0.125 * (c.Energy - _noiseLevel);
        _noise.Enqueue(c);
        if (_noise.Count > NoiseHistory) _noise.Dequeue();
        _searchedSinceLastNoise = false;
    }

    /// <summary>Soon after a QRS, a peak with much less slope is the repolarisation of that beat.</summary>
    private bool IsTWave(QrsCandidate c) =>
        _last is { } last && c.Peak - last.Peak < _tWaveWindow && c.Slope < _settings.TWaveSlopeRatio * last.Slope;

    private void SearchBack(long silence)
    {
        _searchedSinceLastNoise = true;
        var halfThreshold = 0.5 * Threshold;
        QrsCandidate? best = null;
        foreach (var c in _noise)
        {
            if (c.Energy > halfThreshold && !IsTWave(c) && (best is null || c.Energy > best.Value.Energy)) best = c;
        }
        if (best is not { } found)
        {
            if (silence > _silenceBeforeDecay && silence > 3 * _expectedRr)
                _qrsLevel = Math.Max(2 * _noiseLevel, _qrsLevel / 2);
            return;
        }
        RaiseQrsLevel(found.Energy, 0.25);
        // The peaks after the one found are judged again, now against it.
        var later = _noise.Where(c => c.Peak > found.Peak).ToList();
        Accept(found);
        foreach (var c in later) Decide(c);
    }

    private void RaiseQrsLevel(double energy, double weight)
    {
        var bounded = _qrsLevel > 0 ? Math.Min(energy, _settings.LevelRiseLimit * _qrsLevel) : energy;
        _qrsLevel += weight * (bounded - _qrsLevel);
    }

    private void Accept(QrsCandidate c)
    {
        if (_last is { } last) AddRr(c.Peak - last.Peak);
        _last = c;
        _noise.Clear();
        _searchedSinceLastNoise = false;
        _accept(c);
    }

    private void AddRr(double rr)
    {
        _rr[_rrNext] = rr;
        _rrNext = (_rrNext + 1) % _rr.Length;
        _rrCount = Math.Min(_rrCount + 1, _rr.Length);
        Array.Copy(_rr, _rrSorted, _rrCount);
        Array.Sort(_rrSorted, 0, _rrCount);
        var middle = _rrCount / 2;
        _expectedRr = _rrCount % 2 == 1 ? _rrSorted[middle] : (_rrSorted[middle - 1] + _rrSorted[middle]) / 2;
    }

    private static long Samples(double seconds, double samplingFrequency) => (long)Math.Round(seconds * samplingFrequency);
}
