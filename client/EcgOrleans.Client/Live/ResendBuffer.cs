using EcgOrleans.Abstractions;

namespace EcgOrleans.Client.Live;

/// <summary>
/// The chunks of one live record that the record grain has not yet made durable (sequence above its last commit
/// point), in order. A live monitor cannot rebuild a chunk the way a file upload can, so after a failure the grain
/// is fed exactly these chunks again, from the one it names.
/// </summary>
internal sealed class ResendBuffer
{
    private readonly List<SignalChunk> _chunks = [];

    /// <summary>Sequence of the oldest chunk held (equals <see cref="Next"/> when none is held).</summary>
    public long Oldest { get; private set; }

    /// <summary>Sequence the next added chunk must have.</summary>
    public long Next => Oldest + _chunks.Count;

    public int Count => _chunks.Count;

    /// <summary>Starts empty at <paramref name="sequence"/>: chunks before it are durable in the grain.</summary>
    public void Reset(long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        _chunks.Clear();
        Oldest = sequence;
    }

    public void Add(SignalChunk chunk)
    {
        if (chunk.Sequence != Next)
            throw new ArgumentException($"chunk {chunk.Sequence} added to a buffer that expects chunk {Next}", nameof(chunk));
        _chunks.Add(chunk);
    }

    /// <summary>Drops the chunks the grain has made durable (up to and including <paramref name="committedSequence"/>; -1: none).</summary>
    public void Commit(long committedSequence)
    {
        var drop = (int)Math.Clamp(committedSequence + 1 - Oldest, 0, _chunks.Count);
        _chunks.RemoveRange(0, drop);
        Oldest += drop;
    }

    /// <summary>The chunk numbered <paramref name="sequence"/>; one already committed or not yet made cannot be resent exactly.</summary>
    public SignalChunk Get(long sequence)
    {
        if (sequence < Oldest)
            throw new InvalidOperationException(
                $"chunk {sequence} is no longer held: it was committed (the buffer starts at chunk {Oldest}), so the grain should not ask for it again");
        if (sequence >= Next)
            throw new InvalidOperationException($"chunk {sequence} has not been made yet (the next one is chunk {Next})");
        return _chunks[(int)(sequence - Oldest)];
    }
}
