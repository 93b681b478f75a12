using EcgOrleans.Signal.Filters;

namespace EcgOrleans.Signal.Qrs;

/// <summary>
/// Running maximum over the last <c>width</c> samples (a monotonic queue): O(1) amortised per sample, fixed memory.
/// Of equal values the latest wins, so a plateau yields one maximum.
/// </summary>
internal sealed class SlidingMaximum(int width)
{
    private readonly long[] _samples = new long[width + 1];
    private readonly double[] _values = new double[width + 1];
    private int _head, _count;

    /// <summary>Sample number of the maximum of the window that ends at the last pushed sample.</summary>
    public long ArgMax => _samples[_head];

    public void Save(BinaryWriter writer)
    {
        writer.Write(_samples.Length);
        writer.Write(_head);
        writer.Write(_count);
        for (var i = 0; i < _samples.Length; i++)
        {
            writer.Write(_samples[i]);
            writer.Write(_values[i]);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote into a window of the same width.</summary>
    public void Load(BinaryReader reader)
    {
        var capacity = reader.ReadInt32();
        if (capacity != _samples.Length) throw new InvalidDataException($"corrupt state snapshot: a sliding maximum over {capacity - 1} samples where {width} are expected");
        _head = StateFormat.Count(reader.ReadInt32(), capacity - 1);
        _count = StateFormat.Count(reader.ReadInt32(), capacity);
        for (var i = 0; i < capacity; i++)
        {
            _samples[i] = reader.ReadInt64();
            _values[i] = reader.ReadDouble();
        }
    }

    public void Push(long sample, double value)
    {
        var capacity = _samples.Length;
        while (_count > 0 && _values[(_head + _count - 1) % capacity] <= value) _count--;
        var tail = (_head + _count) % capacity;
        _samples[tail] = sample;
        _values[tail] = value;
        _count++;
        while (_samples[_head] <= sample - width)
        {
            _head = (_head + 1) % capacity;
            _count--;
        }
    }
}
