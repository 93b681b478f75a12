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

    /// <summary>Writes the queue's entries, oldest first (only they are ever read).</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_count);
        for (var i = 0; i < _count; i++)
        {
            var at = (_head + i) % _samples.Length;
            writer.Write(_samples[at]);
            writer.Write(_values[at]);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote into a window of the same width.</summary>
    public void Load(BinaryReader reader)
    {
        _head = 0;
        _count = StateFormat.Count(reader.ReadInt32(), _samples.Length);
        for (var i = 0; i < _count; i++)
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
