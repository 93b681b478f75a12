using EcgOrleans.Abstractions;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Wfdb;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Grains.Pipeline;

/// <summary>
/// The pure core of a record grain: checks each chunk, cuts its beats (around the reference annotations the chunks
/// carry, or, for a record without them, around the R peaks the QRS detector finds), and groups them into batches
/// for the model. Batches come out only at chunk ends (when 256 beats wait, when the chunk asks to flush, or at the
/// record's end; the waiting beats in equal batches of 256 to 511), so a stream resumed from a commit point and fed
/// the same chunks cuts the same batches with the same sequence numbers: that is what lets class maps drop a
/// replayed batch by its number.
/// </summary>
public sealed class RecordStream
{
    public const int BatchSize = 256;
    public const int MaxChunkSamples = 1 << 20;
    public const double MaxSamplingFrequency = 100_000;

    private readonly List<Beat> _waiting = [];
    private readonly RecordState _state;
    private BeatSegmenter? _segmenter;
    private QrsDetector? _detector; // only for a record whose chunks carry no annotations

    private RecordStream(string recordKey, BeatRepresentation representation, int rhythmFeatures, bool referencesRequired, RecordState state)
    {
        RecordKey = recordKey;
        Representation = representation;
        RhythmFeatures = rhythmFeatures;
        ReferencesRequired = referencesRequired;
        _state = state;
        if (state.Segmenter is { } segmenter) _segmenter = BeatSegmenter.Restore(segmenter);
        if (state.Detector is { } detector) _detector = QrsDetector.Restore(detector);
    }

    public string RecordKey { get; }

    public BeatRepresentation Representation { get; }

    /// <summary>Beat features the model takes: the first 0, <see cref="Signal.Beats.RhythmFeatures.RrCount"/> or <see cref="Signal.Beats.RhythmFeatures.Count"/> of each beat's.</summary>
    public int RhythmFeatures { get; }

    /// <summary>Whether every beat needs a reference class (a run whose saliency target is the reference class).</summary>
    public bool ReferencesRequired { get; }

    public long NextSequence => _state.NextSequence;

    public long Samples => _state.Samples;

    public long Beats => _state.Beats;

    public long Batches => _state.NextBatch;

    public bool Done => _state.Done;

    /// <summary>Beats cut but not yet in a batch (none at a commit point).</summary>
    public int Waiting => _waiting.Count;

    /// <summary>A stream resumed from its last commit point (a fresh one when <paramref name="committed"/> is new).</summary>
    /// <param name="referencesRequired">Refuse chunks without reference annotations: their beats would have no reference class.</param>
    public static RecordStream Resume(string recordKey, BeatRepresentation representation, int rhythmFeatures, RecordState committed,
        bool referencesRequired = false) =>
        new(recordKey, representation, rhythmFeatures, referencesRequired, Copy(committed));

    /// <summary>
    /// Checks and applies one chunk. Returns the batches to score now and whether, once they are merged, the
    /// stream is at a commit point. A refused chunk throws <see cref="EcgRequestException"/> and changes nothing.
    /// </summary>
    public ChunkOutcome Accept(SignalChunk chunk)
    {
        var references = Validate(chunk);
        _state.SamplingFrequency = chunk.SamplingFrequency;
        _state.Annotated = references is not null;
        _segmenter ??= new BeatSegmenter(RecordKey, chunk.SamplingFrequency, Representation);

        var (marks, marksCompleteBefore) = references is null ? Detect(chunk) : (references, (long?)null);
        _waiting.AddRange(_segmenter.Push(chunk.Samples, marks, marksCompleteBefore));
        if (chunk.IsLast) _waiting.AddRange(_segmenter.Complete());
        _state.NextSequence = chunk.Sequence + 1;
        _state.Samples += chunk.Samples.Length;
        _state.Done = chunk.IsLast;

        var batches = new List<BeatBatch>();
        if (_waiting.Count >= BatchSize || chunk.Flush || chunk.IsLast)
        {
            // Equal batches of BatchSize or more, not full ones and a short tail: the model scores a batch in passes,
            // and a tail of a few beats would cost a whole pass.
            var count = _waiting.Count == 0 ? 0 : Math.Max(1, _waiting.Count / BatchSize); // a flush with nothing waiting sends nothing
            foreach (var (start, size) in EqualParts.Of(_waiting.Count, count))
                batches.Add(ToBatch(_waiting.GetRange(start, size), _state.NextBatch++));
            _state.Beats += _waiting.Count;
            _waiting.Clear();
        }
        return new ChunkOutcome(batches, CommitPoint: _waiting.Count == 0);
    }

    /// <summary>
    /// The R peaks the detector found in the chunk, unlabelled, and the horizon before which it will find no more
    /// (the record's end at its last chunk): the segmenter waits for that horizon before it closes a beat.
    /// </summary>
    private (BeatMark[] Marks, long? MarksCompleteBefore) Detect(SignalChunk chunk)
    {
        _detector ??= new QrsDetector(chunk.SamplingFrequency);
        var peaks = new List<long>(_detector.Process(chunk.Samples));
        if (chunk.IsLast) peaks.AddRange(_detector.Complete());
        return ([.. peaks.Select(r => new BeatMark(r))], _detector.DetectionsCompleteBefore);
    }

    /// <summary>The state to persist; only at a commit point (no beat waiting).</summary>
    public RecordState Checkpoint()
    {
        if (_waiting.Count > 0) throw new InvalidOperationException($"{RecordKey}: {_waiting.Count} beats wait for a batch; not a commit point");
        // A complete record accepts no more chunks: its segmenter and detector states would never be read again.
        _state.Segmenter = _state.Done ? null : _segmenter?.Snapshot();
        _state.Detector = _state.Done ? null : _detector?.Snapshot();
        return Copy(_state);
    }

    private static RecordState Copy(RecordState state) => new()
    {
        NextSequence = state.NextSequence,
        Samples = state.Samples,
        Beats = state.Beats,
        NextBatch = state.NextBatch,
        Done = state.Done,
        SamplingFrequency = state.SamplingFrequency,
        Annotated = state.Annotated,
        Segmenter = state.Segmenter,
        Detector = state.Detector,
    };

    /// <summary>Checks the chunk whole; returns its reference beats, or null when it carries no annotations.</summary>
    private BeatMark[]? Validate(SignalChunk chunk)
    {
        if (_state.Done)
            throw new EcgRequestException(Codes.RecordComplete, $"{RecordKey}: the record is complete; chunk {chunk.Sequence} is refused");
        if (chunk.Sequence != _state.NextSequence)
        {
            var problem = chunk.Sequence < _state.NextSequence
                ? $"chunk {chunk.Sequence} was already applied"
                : $"chunk {chunk.Sequence} arrives before chunk {_state.NextSequence}";
            throw new EcgRequestException(Codes.ChunkOutOfOrder, $"{RecordKey}: {problem}; send chunk {_state.NextSequence} next", _state.NextSequence);
        }
        var fs = chunk.SamplingFrequency;
        if (!double.IsFinite(fs) || fs <= 0 || fs > MaxSamplingFrequency)
            throw Invalid(chunk, $"sampling frequency {fs} is not between 0 and {MaxSamplingFrequency} Hz");
        if (_state.NextSequence > 0 && fs != _state.SamplingFrequency)
            throw Invalid(chunk, $"sampling frequency {fs} Hz differs from the record's {_state.SamplingFrequency} Hz");
        if (chunk.Samples is null || (chunk.Samples.Length == 0 && !chunk.IsLast))
            throw Invalid(chunk, "a chunk needs samples (only the last may be empty)");
        if (chunk.Samples.Length > MaxChunkSamples)
            throw Invalid(chunk, $"{chunk.Samples.Length} samples exceed the limit of {MaxChunkSamples} per chunk");
        for (var i = 0; i < chunk.Samples.Length; i++)
        {
            if (!float.IsFinite(chunk.Samples[i]))
                throw Invalid(chunk, $"sample {i} (record sample {_state.Samples + i}) is {chunk.Samples[i]}, not a finite value");
        }
        if (_state.Annotated is { } annotated && annotated != chunk.Annotations is not null)
            throw Invalid(chunk, annotated ? "the record's earlier chunks carried annotations; this one has none" : "the record's earlier chunks carried no annotations; this one has");
        if (chunk.Annotations is null)
        {
            if (ReferencesRequired)
                throw Invalid(chunk, "the run's saliency target is the reference class, and a chunk without reference annotations gives its beats none");
            if (!(fs >= QrsDetector.MinSamplingFrequency && fs <= QrsDetector.MaxSamplingFrequency))
                throw Invalid(chunk, $"without reference annotations the beats are detected, which needs a sampling frequency between {QrsDetector.MinSamplingFrequency} and {QrsDetector.MaxSamplingFrequency} Hz, not {fs} Hz");
            return null;
        }

        var start = _state.Samples;
        var end = start + chunk.Samples.Length;
        var marks = new List<BeatMark>();
        long previous = -1;
        for (var i = 0; i < chunk.Annotations.Length; i++)
        {
            var (sample, code) = chunk.Annotations[i];
            if (sample < start || sample >= end)
                throw Invalid(chunk, $"annotation {i} at sample {sample} lies outside the chunk's samples [{start}, {end})");
            if (sample < previous)
                throw Invalid(chunk, $"annotation {i} at sample {sample} comes before the one at {previous}");
            if (!AnnotationCodes.IsDefined(code))
                throw Invalid(chunk, $"annotation {i} has code {code}, which is not in the annotation-code table");
            previous = sample;
            if (Aami.FromCode((AnnotationCode)code) is { } reference)
            {
                if (marks.Count > 0 && marks[^1].Sample == sample)
                    throw Invalid(chunk, $"two beats at sample {sample}");
                marks.Add(new BeatMark(sample, reference, (AnnotationCode)code));
            }
        }
        return [.. marks];
    }

    private EcgRequestException Invalid(SignalChunk chunk, string problem) =>
        new(Codes.InvalidChunk, $"{RecordKey}, chunk {chunk.Sequence}: {problem}");

    private BeatBatch ToBatch(List<Beat> beats, long sequence)
    {
        var length = Representation.Length;
        var waveforms = new float[beats.Count * length];
        var rhythm = new float[beats.Count * RhythmFeatures];
        var references = new byte[beats.Count];
        var samples = new long[beats.Count];
        for (var b = 0; b < beats.Count; b++)
        {
            beats[b].Waveform.CopyTo(waveforms, b * length);
            beats[b].Rhythm.AsSpan(0, RhythmFeatures).CopyTo(rhythm.AsSpan(b * RhythmFeatures));
            references[b] = beats[b].Reference is { } r ? (byte)r : BeatBatch.NoReference;
            samples[b] = beats[b].Sample;
        }
        return new BeatBatch(RecordKey, sequence, beats.Count, length, RhythmFeatures, waveforms, rhythm, references, samples);
    }
}

/// <summary>Batches to score after a chunk, and whether the stream is then at a commit point.</summary>
public sealed record ChunkOutcome(IReadOnlyList<BeatBatch> Batches, bool CommitPoint);
