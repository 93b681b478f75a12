using System.Runtime.InteropServices;

namespace EcgOrleans.Signal.Filters;

/// <summary>
/// Baseline wander removal of de Chazal et al. (2004): the baseline is a 200 ms median filter
/// followed by a 600 ms median filter; it is subtracted from the signal. Streaming, chunk-invariant,
/// with a fixed lag of <see cref="Lag"/> samples; missing samples (NaN) are held at the last valid value.
/// </summary>
public sealed class BaselineRemover
{
    private readonly SlidingMedian _short;
    private readonly SlidingMedian _long;
    private readonly Queue<float> _delayed = new();
    private readonly List<float> _stage1 = [];
    private readonly List<float> _baseline = [];
    private readonly List<float> _input = [];
    private float _lastValid;
    private bool _seenValid;

    public BaselineRemover(double samplingFrequency)
    {
        if (!(samplingFrequency > 0)) throw new ArgumentOutOfRangeException(nameof(samplingFrequency), samplingFrequency, "must be positive");
        _short = new SlidingMedian(HalfWidth(0.2, samplingFrequency));
        _long = new SlidingMedian(HalfWidth(0.6, samplingFrequency));
    }

    private BaselineRemover(SlidingMedian shortMedian, SlidingMedian longMedian)
    {
        _short = shortMedian;
        _long = longMedian;
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

    private const int BlockSize = 4096;

    private void PushBlock(ReadOnlySpan<float> samples, List<float> output)
    {
        _input.Clear();
        foreach (var raw in samples)
        {
            var x = Sanitise(raw);
            _input.Add(x);
            _delayed.Enqueue(x);
        }
        _stage1.Clear();
        _short.Push(CollectionsMarshal.AsSpan(_input), _stage1);
        _baseline.Clear();
        _long.Push(CollectionsMarshal.AsSpan(_stage1), _baseline);
        foreach (var b in _baseline) output.Add(_delayed.Dequeue() - b);
    }

    /// <summary>Ends the stream and appends the last <see cref="Lag"/> filtered samples.</summary>
    public void Complete(List<float> output)
    {
        _stage1.Clear();
        _short.Complete(_stage1);
        _baseline.Clear();
        _long.Push(CollectionsMarshal.AsSpan(_stage1), _baseline);
        _long.Complete(_baseline);
        foreach (var b in _baseline) output.Add(_delayed.Dequeue() - b);
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

    private static int HalfWidth(double seconds, double fs) => Math.Max(1, (int)Math.Round(seconds * fs) / 2);

    internal void Save(BinaryWriter writer)
    {
        _short.Save(writer);
        _long.Save(writer);
        writer.Write(_lastValid);
        writer.Write(_seenValid);
        writer.Write(_delayed.Count);
        foreach (var v in _delayed) writer.Write(v);
    }

    internal static BaselineRemover Load(BinaryReader reader)
    {
        var remover = new BaselineRemover(SlidingMedian.Load(reader), SlidingMedian.Load(reader))
        {
            _lastValid = reader.ReadSingle(),
            _seenValid = reader.ReadBoolean(),
        };
        var delayed = StateFormat.Count(reader.ReadInt32(), remover.Lag + 1);
        for (var i = 0; i < delayed; i++) remover._delayed.Enqueue(reader.ReadSingle());
        return remover;
    }
}
