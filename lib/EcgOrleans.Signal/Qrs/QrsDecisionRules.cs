using EcgOrleans.Signal.Filters;

namespace EcgOrleans.Signal.Qrs;

/// <summary>
/// The decision rules of Pan and Tompkins (1985) over candidate peaks of the integrated signal: a running QRS
/// level and noise level with a threshold between them, a refractory period, T-wave rejection by slope, and
/// search-back for a beat missed when no QRS came within 1.66 RR intervals.
/// <para>
/// Changes from the paper, each for a failure it showed on MIT-BIH or on a disturbed copy of it: the noise level
/// and the expected RR interval are medians of the last eight values (as in Hamilton and Tompkins 1986) rather
/// than running averages, so that ectopic beats once taken for noise cannot lift the threshold above all of them
/// for good, and one wrong interval cannot freeze the search-back timing; one peak can raise the QRS level by a
/// bounded factor only, so an artifact cannot blind the detector; and a long silence decays the QRS level, so
/// the detector recovers when the lead's amplitude drops. A search-back looks back 10 s at most, so that a detection
/// is never later than that (see <see cref="QrsDetector.DetectionsCompleteBefore"/>).
/// </para>
/// Candidates arrive in time order; every accepted one is passed to <c>accept</c>, also in time order.
/// </summary>
internal sealed class QrsDecisionRules
{
    private const int SearchBackPool = 32; // noise peaks kept for search-back: bounded however long a silence lasts

    private readonly QrsDetectorSettings _settings;
    private readonly Action<QrsCandidate> _accept;
    private readonly long _learningSamples, _refractory, _tWaveWindow, _silenceBeforeDecay, _searchBackReach;

    private bool _learning = true;
    private long _learned; // samples of signal seen while learning
    private double _learnMax, _learnSum;
    private readonly List<QrsCandidate> _waiting = []; // candidates that arrived while learning
    private long _settled, _learningEnd;

    private double _qrsLevel, _noiseLevel;
    private readonly RecentMedian _noisePeaks, _rrIntervals;
    private QrsCandidate? _last;
    private readonly Queue<QrsCandidate> _noise = new(); // noise peaks since the last QRS, for search-back
    private bool _searchedSinceLastNoise;

    public QrsDecisionRules(QrsDetectorSettings settings, double samplingFrequency, Action<QrsCandidate> accept)
    {
        _settings = settings;
        _accept = accept;
        _learningSamples = Samples(settings.LearningTime, samplingFrequency);
        _refractory = Samples(settings.Refractory, samplingFrequency);
        _tWaveWindow = Samples(settings.TWaveWindow, samplingFrequency);
        _silenceBeforeDecay = Samples(settings.SilenceBeforeDecay, samplingFrequency);
        _searchBackReach = Samples(settings.SearchBackReach, samplingFrequency);
        _noisePeaks = new RecentMedian(settings.History);
        _rrIntervals = new RecentMedian(settings.History);
    }

    /// <summary>
    /// The earliest R peak among the candidates still held for a later decision (long.MaxValue when none is):
    /// those that wait for learning to end and the noise peaks a search-back may yet take as a missed beat.
    /// Only they, and candidates not yet seen, can still be accepted.
    /// </summary>
    public long EarliestUndecidedR
    {
        get
        {
            var earliest = long.MaxValue;
            foreach (var c in _waiting) earliest = Math.Min(earliest, c.R);
            foreach (var c in _noise) earliest = Math.Min(earliest, c.R);
            return earliest;
        }
    }

    private double Threshold => _noiseLevel + _settings.ThresholdFraction * (_qrsLevel - _noiseLevel);

    /// <summary>The expected RR interval in samples: 0 until one is known.</summary>
    private double ExpectedRr => _rrIntervals.Count == 0 ? 0 : _rrIntervals.Value;

    /// <summary>
    /// Called for every sample of the integrated signal, once the candidates up to <paramref name="settledUpTo"/>
    /// have been passed to <see cref="OnCandidate"/>.
    /// </summary>
    public void OnSample(double integrated, long settledUpTo)
    {
        _settled = settledUpTo;
        if (_learning)
        {
            // A flat start (missing samples, a lead off) teaches nothing: learning starts with the signal.
            if (integrated <= _settings.SilentEnergy && _learned == 0) return;
            _learnMax = Math.Max(_learnMax, integrated);
            _learnSum += integrated;
            if (++_learned >= _learningSamples) EndLearning();
            return;
        }
        // Peaks beyond the reach are no longer a missed beat worth finding; dropping them bounds how late a detection comes.
        while (_noise.Count > 0 && _noise.Peek().Peak < settledUpTo - _searchBackReach) _noise.Dequeue();
        if (_searchedSinceLastNoise) return;
        // Before any rhythm is known (no beat since learning), only a long silence triggers a search.
        var silence = settledUpTo - (_last?.Peak ?? _learningEnd);
        var patience = ExpectedRr > 0 ? _settings.SearchBackFactor * ExpectedRr : _silenceBeforeDecay;
        if (silence > patience) SearchBack(silence);
    }

    public void OnCandidate(QrsCandidate candidate)
    {
        if (_learning) _waiting.Add(candidate);
        else Decide(candidate);
    }

    /// <summary>Ends learning with what was seen: for records shorter than the learning time.</summary>
    public void EndLearning()
    {
        if (!_learning) return;
        _learning = false;
        _learningEnd = _settled;
        // Initial levels as in Pan and Tompkins: a third of the largest value, half the mean.
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
        _noisePeaks.Add(c.Energy);
        _noiseLevel = _noisePeaks.Value;
        _noise.Enqueue(c);
        if (_noise.Count > SearchBackPool) _noise.Dequeue();
        _searchedSinceLastNoise = false;
    }

    /// <summary>Soon after a QRS, a peak with much less slope is the repolarisation of that beat.</summary>
    private bool IsTWave(QrsCandidate c) =>
        _last is { } last && c.Peak - last.Peak < _tWaveWindow && c.Slope < _settings.TWaveSlopeRatio * last.Slope;

    /// <summary>Takes the largest noise peak since the last QRS that clears half the threshold as a missed beat.</summary>
    private void SearchBack(long silence)
    {
        _searchedSinceLastNoise = true;
        var halfThreshold = 0.5 * Threshold;
        QrsCandidate? best = null;
        foreach (var c in _noise)
        {
            if (c.Energy > halfThreshold && !IsTWave(c) && (best is null || c.Energy > best.Value.Energy)) best = c;
        }
        if (best is { } found)
        {
            RaiseQrsLevel(found.Energy, 0.25);
            var later = _noise.Where(c => c.Peak > found.Peak).ToList();
            Accept(found);
            foreach (var c in later) Decide(c); // judged again, now against the beat found
        }
        else if (silence > _silenceBeforeDecay && silence > 3 * ExpectedRr)
        {
            _qrsLevel = Math.Max(2 * _noiseLevel, _qrsLevel / 2);
        }
    }

    /// <summary>Moves the QRS level towards a peak's energy; one peak can multiply it by <c>LevelRiseLimit</c> at most.</summary>
    private void RaiseQrsLevel(double energy, double weight)
    {
        var bounded = _qrsLevel > 0 ? Math.Min(energy, _settings.LevelRiseLimit * _qrsLevel) : energy;
        _qrsLevel += weight * (bounded - _qrsLevel);
    }

    private void Accept(QrsCandidate c)
    {
        if (_last is { } last) _rrIntervals.Add(c.Peak - last.Peak);
        _last = c;
        _noise.Clear();
        _searchedSinceLastNoise = false;
        _accept(c);
    }

    /// <summary>The state that changes as candidates come (the constants follow from the settings).</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_learning);
        writer.Write(_learned);
        writer.Write(_learnMax);
        writer.Write(_learnSum);
        writer.Write(_waiting.Count);
        foreach (var c in _waiting) c.Save(writer);
        writer.Write(_settled);
        writer.Write(_learningEnd);
        writer.Write(_qrsLevel);
        writer.Write(_noiseLevel);
        _noisePeaks.Save(writer);
        _rrIntervals.Save(writer);
        writer.Write(_last.HasValue);
        _last?.Save(writer);
        writer.Write(_noise.Count);
        foreach (var c in _noise) c.Save(writer);
        writer.Write(_searchedSinceLastNoise);
    }

    /// <summary>Reads what <see cref="Save"/> wrote into rules made with the same settings.</summary>
    public void Load(BinaryReader reader)
    {
        _learning = reader.ReadBoolean();
        _learned = reader.ReadInt64();
        _learnMax = reader.ReadDouble();
        _learnSum = reader.ReadDouble();
        _waiting.Clear();
        // Candidates are more than a peak half-width apart, so learning holds far fewer than it has samples.
        var waiting = StateFormat.Count(reader.ReadInt32(), (int)Math.Min(_learningSamples + 1, 1 << 20));
        for (var i = 0; i < waiting; i++) _waiting.Add(QrsCandidate.Load(reader));
        _settled = reader.ReadInt64();
        _learningEnd = reader.ReadInt64();
        _qrsLevel = reader.ReadDouble();
        _noiseLevel = reader.ReadDouble();
        _noisePeaks.Load(reader);
        _rrIntervals.Load(reader);
        _last = reader.ReadBoolean() ? QrsCandidate.Load(reader) : null;
        _noise.Clear();
        var noise = StateFormat.Count(reader.ReadInt32(), SearchBackPool);
        for (var i = 0; i < noise; i++) _noise.Enqueue(QrsCandidate.Load(reader));
        _searchedSinceLastNoise = reader.ReadBoolean();
    }

    private static long Samples(double seconds, double samplingFrequency) => (long)Math.Round(seconds * samplingFrequency);
}
