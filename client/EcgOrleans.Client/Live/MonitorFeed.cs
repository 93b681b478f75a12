using EcgOrleans.Abstractions;

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

    /// <summary>Seconds of signal made so far.</summary>
    public double Seconds => NextSequence * ChunkSamples / SamplingFrequency;

    /// <summary>The next chunk, with the beats whose R peaks fall in it; it asks the grain to score them now (Flush).</summary>
    public SignalChunk Next() => Chunk(NextSequence++);

    /// <summary>Chunk <paramref name="sequence"/> of this monitor.</summary>
    public SignalChunk Chunk(long sequence)
    {
        var (samples, annotations) = _patient.Cut(_offset, sequence * ChunkSamples, ChunkSamples);
        return new SignalChunk(sequence, SamplingFrequency, samples, annotations, IsLast: false, Flush: true);
    }

    /// <summary>Moves on so that <paramref name="sequence"/> is the next chunk; a monitor does not go back.</summary>
    public void SkipTo(long sequence)
    {
        if (sequence < NextSequence)
            throw new InvalidOperationException($"{Record}: cannot go back from chunk {NextSequence} to chunk {sequence}");
        NextSequence = sequence;
    }
}
