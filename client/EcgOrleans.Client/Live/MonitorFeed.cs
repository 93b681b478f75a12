using EcgOrleans.Abstractions;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Client.Live;

/// <summary>
/// A bedside monitor as numbered chunks of a fixed number of samples, replaying a patient's loop from an offset.
/// Chunk k is a function of (patient, offset, chunk size, k) alone, so it is the same whenever it is made: a resend
/// after a fault is the same chunk, and a new session can skip to where a record grain stands without making what
/// lies before.
/// </summary>
internal sealed class MonitorFeed
{
    private readonly PatientLoop _patient;
    private readonly long _offset;

    public MonitorFeed(string record, PatientLoop patient, long offset, int chunkSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Record = record;
        _patient = patient;
        _offset = offset;
        ChunkSamples = chunkSamples > 0 ? chunkSamples : throw new ArgumentOutOfRangeException(nameof(chunkSamples), chunkSamples, "must be positive");
    }

    public string Record { get; }

    public int ChunkSamples { get; }

    public double SamplingFrequency => _patient.SamplingFrequency;

    /// <summary>Sequence number of the next chunk.</summary>
    public long NextSequence { get; private set; }

    /// <summary>Sequence number of the chunk that ended the record (<see cref="End"/>), or null while it streams.</summary>
    public long? Last { get; private set; }

    /// <summary>Seconds of signal made so far.</summary>
    public double Seconds => NextSequence * ChunkSamples / SamplingFrequency;

    /// <summary>The next chunk, with the beats whose R peaks fall in it; it asks the grain to score them now (Flush).</summary>
    public SignalChunk Next()
    {
        if (Last is { } last) throw new InvalidOperationException($"{Record}: the record ended with chunk {last}");
        return Chunk(NextSequence++);
    }

    /// <summary>
    /// Ends the record: the next chunk is its last (<see cref="SignalChunk.IsLast"/>), without samples, so that the
    /// record holds exactly the signal streamed so far and the grain closes its last beats.
    /// </summary>
    public SignalChunk End()
    {
        if (Last is null) Last = NextSequence++;
        return Chunk(Last.Value);
    }

    /// <summary>Chunk <paramref name="sequence"/> of this monitor (the empty last one once the record has ended).</summary>
    public SignalChunk Chunk(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (sequence == Last)
            return new SignalChunk(sequence, SamplingFrequency, [], _patient.Annotated ? [] : null, IsLast: true, Flush: true);
        if (sequence > Last) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"{Record}: the record ended with chunk {Last}");
        var (samples, annotations) = _patient.Cut(_offset, sequence * ChunkSamples, ChunkSamples);
        return new SignalChunk(sequence, SamplingFrequency, samples, annotations, IsLast: false, Flush: true);
    }

    /// <summary>
    /// Beats per AAMI class (indexed by <see cref="Aami"/> class) that chunks 0 to <paramref name="chunks"/> - 1 of
    /// this monitor carry: one per annotation of an AAMI class, the beats the record grain cuts from them once the
    /// record has ended. Computed from the feed alone, apart from any grain.
    /// </summary>
    public long[] ReferenceCounts(long chunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunks);
        var counts = new long[Aami.ClassCount];
        for (long k = 0; k < chunks; k++) AddReferenceCounts(counts, Chunk(k));
        return counts;
    }

    /// <summary>Adds one to <paramref name="counts"/> for each annotation of the chunk that has an AAMI class.</summary>
    public static void AddReferenceCounts(long[] counts, SignalChunk chunk)
    {
        foreach (var annotation in chunk.Annotations ?? [])
        {
            if (Aami.FromCode((AnnotationCode)annotation.Code) is { } reference) counts[(int)reference]++;
        }
    }

    /// <summary>Moves on so that <paramref name="sequence"/> is the next chunk; a monitor does not go back.</summary>
    public void SkipTo(long sequence)
    {
        if (Last is { } last) throw new InvalidOperationException($"{Record}: the record ended with chunk {last}");
        if (sequence < NextSequence)
            throw new InvalidOperationException($"{Record}: cannot go back from chunk {NextSequence} to chunk {sequence}");
        NextSequence = sequence;
    }
}
