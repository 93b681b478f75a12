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
