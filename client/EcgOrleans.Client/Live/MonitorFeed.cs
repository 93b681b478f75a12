using EcgOrleans.Abstractions;
using EcgOrleans.Signal.Synthetic;

namespace EcgOrleans.Client.Live;

/// <summary>
/// A synthetic bedside monitor as numbered chunks of a fixed number of samples. The monitor is deterministic for
/// its options, so chunk k is the same samples whenever it is made: a new session can skip to where a record
/// grain stands and carry on the same signal.
/// </summary>
internal sealed class MonitorFeed(string record, SyntheticOptions options, int chunkSamples)
{
    private readonly SyntheticMonitor _monitor = new(options);

    public string Record { get; } = record;

    public int ChunkSamples { get; } = chunkSamples > 0 ? chunkSamples : throw new ArgumentOutOfRangeException(nameof(chunkSamples), chunkSamples, "must be positive");

    public double SamplingFrequency => _monitor.SamplingFrequency;

    /// <summary>Sequence number of the next chunk.</summary>
    public long NextSequence { get; private set; }

    /// <summary>Seconds of signal made so far.</summary>
    public double Seconds => NextSequence * ChunkSamples / SamplingFrequency;

    /// <summary>The next chunk, with the beats whose R peaks fall in it; it asks the grain to score them now (Flush).</summary>
    public SignalChunk Next()
    {
        var piece = _monitor.Next(ChunkSamples);
        ChunkAnnotation[] annotations = [.. piece.Annotations.Select(a => new ChunkAnnotation(a.Sample, (byte)a.Code))];
        return new SignalChunk(NextSequence++, SamplingFrequency, piece.Samples, annotations, IsLast: false, Flush: true);
    }

    /// <summary>Makes and drops chunks until <paramref name="sequence"/> is next.</summary>
    public void SkipTo(long sequence)
    {
        if (sequence < NextSequence)
            throw new InvalidOperationException($"{Record}: cannot go back from chunk {NextSequence} to chunk {sequence}");
        while (NextSequence < sequence) Next();
    }
}
