namespace EcgOrleans.Signal.Filters;

/// <summary>
/// Running median over a centred window of <c>2h+1</c> samples, one sample in, one out, with a lag
/// of h samples. The ends of the stream are padded by repeating the first and the last sample, so
/// the output has exactly as many samples as the input and does not depend on how the input was
/// chunked. A sorted copy of the window makes each step a binary search and a short memmove.
/// </summary>
public sealed class SlidingMedian
{
    private readonly int _half;
    private readonly float[] _sorted;
    private readonly float[] _ring; // window in arrival order
    private int _ringHead;
    private int _count;
    private bool _started;
    private float _last;

    public SlidingMedian(int halfWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(halfWidth);
        _half = halfWidth;
        _sorted = new float[2 * halfWidth + 1];
        _ring = new float[2 * halfWidth + 1];
    }

    public int HalfWidth => _half;

    public int Lag => _half;

    /// <summary>Pushes samples (no NaN); appends every median that became available to <paramref name="output"/>.</summary>
    public void Push(ReadOnlySpan<float> samples, List<float> output)
    {
        foreach (var x in samples)
        {
            if (!_started)
            {
                _started = true;
                for (var i = 0; i < _half; i++) Enter(x); // left padding: the first sample, h times
            }
            Enter(x);
            _last = x;
            if (_count == _sorted.Length) output.Add(_sorted[_half]);
        }
    }

    /// <summary>Ends the stream: pads with the last sample so the final h medians come out.</summary>
    public void Complete(List<float> output)
    {
        if (!_started) return;
        for (var i = 0; i < _half; i++)
        {
            Enter(_last);
            if (_count == _sorted.Length) output.Add(_sorted[_half]); // a stream shorter than h fills the window late
        }
    }

    private void Enter(float x)
    {
        var window = _sorted.Length;
        if (_count < window)
        {
            var at = LowerBound(_count, x);
            Array.Copy(_sorted, at, _sorted, at + 1, _count - at);
            _sorted[at] = x;
            _count++;
        }
        else
        {
            // Replace the leaving value by the new one, moving only the values between them.
            var leaving = LowerBound(_count, _ring[_ringHead]);
            var insert = LowerBound(_count, x);
            if (insert > leaving)
            {
                Array.Copy(_sorted, leaving + 1, _sorted, leaving, insert - leaving - 1);
                _sorted[insert - 1] = x;
            }
            else
            {
                Array.Copy(_sorted, insert, _sorted, insert + 1, leaving - insert);
                _sorted[insert] = x;
            }
        }
        _ring[_ringHead] = x;
        if (++_ringHead == window) _ringHead = 0;
    }

    /// <summary>First index whose value is not less than <paramref name="x"/>.</summary>
    private int LowerBound(int count, float x)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (_sorted[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
