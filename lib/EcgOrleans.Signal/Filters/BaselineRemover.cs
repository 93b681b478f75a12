using System.Runtime.InteropServices;

namespace EcgOrleans.Signal.Filters;

/// <summary>
/// Baseline wander removal of de Chazal et al. (2004): the baseline is a 200 ms median filter
/// followed by a 600 ms median filter; it is subtracted from the signal. Streaming, chunk-invariant,
/// with a fixed lag of <see cref="Lag"/> samples; missing samples (NaN) are held at the last valid value.
/// </summary>
public sealed class BaselineRemover
{
    private const int BlockSize = 4096;

    private readonly SlidingMedian _short;
    private readonly SlidingMedian _long;
    private readonly DelayLine _delayed;
    private float _lastValid;
    private bool _seenValid;

    public BaselineRemover(double samplingFrequency)
        : this(Median(0.2, samplingFrequency), Median(0.6, samplingFrequency))
    {
    }

    private BaselineRemover(SlidingMedian shortMedian, SlidingMedian longMedian)
    {
        _short = shortMedian;
        _long = longMedian;
        _delayed = new DelayLine(Lag + 1);
    }

    private static SlidingMedian Median(double seconds, double fs)
    {
        if (!(fs > 0)) throw new ArgumentOutOfRangeException("samplingFrequency", fs, "must be positive");
        return new SlidingMedian(Math.Max(1, (int)Math.Round(seconds * fs) / 2));
    }

    /// <summary>Samples between a sample entering and its filtered value coming out.</summary>
    public int Lag => _short.Lag + _long.Lag;

    /// <summary>Filters the next chunk; appends the filtered samples that became available.</summary>
    public void Push(ReadOnlySpan<float> samples, List<float> output)
    {
        // In blocks, so that the buffers (and the delay line) stay small and in cache whatever the chunk size.
        for (var start = 0; start < samples.Length; start += BlockSize)
            PushBlock(samples.Slice(start, Math.Min(BlockSize, samples.Length - start)), output);
    }

    private void PushBlock(ReadOnlySpan<float> samples, List<float> output)
    {
        var scratch = Scratch.For(samples.Length);
        var input = scratch.Input.AsSpan(0, samples.Length);
        for (var i = 0; i < samples.Length; i++) input[i] = Sanitise(samples[i]);
        _delayed.Write(input);
        var stage1 = scratch.Stage1.AsSpan(0, _short.Push(input, scratch.Stage1));
        Subtract(scratch.Baseline.AsSpan(0, _long.Push(stage1, scratch.Baseline)), output);
    }

    /// <summary>Ends the stream and appends the last <see cref="Lag"/> filtered samples.</summary>
    public void Complete(List<float> output)
    {
        var scratch = Scratch.For(Lag);
        var stage1 = scratch.Stage1.AsSpan(0, _short.Complete(scratch.Stage1));
        var pushed = _long.Push(stage1, scratch.Baseline);
        pushed += _long.Complete(scratch.Baseline.AsSpan(pushed));
        Subtract(scratch.Baseline.AsSpan(0, pushed), output);
    }

    /// <summary>Appends each delayed sample minus its baseline.</summary>
    private void Subtract(ReadOnlySpan<float> baseline, List<float> output)
    {
        var start = output.Count;
        CollectionsMarshal.SetCount(output, start + baseline.Length);
        var filtered = CollectionsMarshal.AsSpan(output)[start..];
        _delayed.Read(filtered);
        for (var i = 0; i < filtered.Length; i++) filtered[i] -= baseline[i];
    }

    private float Sanitise(float x)
    {
        if (float.IsFinite(x))
        {
            _lastValid = x;
            _seenValid = true;
            return x;
        }
        return _seenValid ? _lastValid : 0f;
    }

    internal void Save(BinaryWriter writer)
    {
        _short.Save(writer);
        _long.Save(writer);
        writer.Write(_lastValid);
        writer.Write(_seenValid);
        writer.Write(_delayed.Count);
        _delayed.Save(writer);
    }

    internal static BaselineRemover Load(BinaryReader reader)
    {
        var remover = new BaselineRemover(SlidingMedian.Load(reader), SlidingMedian.Load(reader))
        {
            _lastValid = reader.ReadSingle(),
            _seenValid = reader.ReadBoolean(),
        };
        var delayed = new float[StateFormat.Count(reader.ReadInt32(), remover.Lag + 1)];
        for (var i = 0; i < delayed.Length; i++) delayed[i] = reader.ReadSingle();
        remover._delayed.Write(delayed);
        return remover;
    }

    /// <summary>
    /// A block's working buffers, one set per thread: they hold nothing between calls, so thousands of live records,
    /// each filtering a second at a time, need not each carry buffers sized for a block.
    /// </summary>
    private sealed class Scratch
    {
        [ThreadStatic] private static Scratch? _current;

        private Scratch(int size)
        {
            Input = new float[size];
            Stage1 = new float[size];
            Baseline = new float[size];
        }

        public float[] Input { get; }

        public float[] Stage1 { get; }

        public float[] Baseline { get; }

        /// <summary>This thread's buffers, of at least <paramref name="size"/> samples (a block, or the medians' tails at the end).</summary>
        public static Scratch For(int size)
        {
            if (_current is null || _current.Input.Length < size) _current = new Scratch(Math.Max(size, BlockSize));
            return _current;
        }
    }

    /// <summary>
    /// The samples waiting for their baseline, first in first out. Between calls it holds at most <see cref="Lag"/>
    /// samples; within a call it grows to the longest block pushed, so a record streamed in short chunks keeps a
    /// short ring.
    /// </summary>
    private sealed class DelayLine(int capacity)
    {
        private float[] _ring = new float[capacity];
        private int _head; // next to read
        private int _count;

        public int Count => _count;

        public void Write(ReadOnlySpan<float> values)
        {
            if (_count + values.Length > _ring.Length) Grow(_count + values.Length);
            var tail = (_head + _count) % _ring.Length;
            var first = Math.Min(values.Length, _ring.Length - tail);
            values[..first].CopyTo(_ring.AsSpan(tail));
            values[first..].CopyTo(_ring);
            _count += values.Length;
        }

        public void Read(Span<float> destination)
        {
            if (destination.Length > _count) throw new InvalidOperationException($"{destination.Length} delayed samples asked for, {_count} held");
            var first = Math.Min(destination.Length, _ring.Length - _head);
            _ring.AsSpan(_head, first).CopyTo(destination);
            _ring.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
            _head = (_head + destination.Length) % _ring.Length;
            _count -= destination.Length;
        }

        public void Save(BinaryWriter writer)
        {
            for (var i = 0; i < _count; i++) writer.Write(_ring[(_head + i) % _ring.Length]);
        }

        private void Grow(int needed)
        {
            var ring = new float[Math.Max(needed, _ring.Length * 2)];
            var count = _count;
            Read(ring.AsSpan(0, count));
            _ring = ring;
            _head = 0;
            _count = count;
        }
    }
}
