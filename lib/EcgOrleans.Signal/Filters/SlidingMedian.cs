using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EcgOrleans.Signal.Filters;

/// <summary>
/// Running median over a centred window of <c>2h+1</c> samples, one sample in, one out, with a lag
/// of h samples. The ends of the stream are padded by repeating the first and the last sample, so
/// the output has exactly as many samples as the input and does not depend on how the input was
/// chunked.
/// </summary>
/// <remarks>
/// Two exact ways to keep the window in order, with the same output. Recorded samples take few distinct values,
/// so the window starts as counts per value (<see cref="LevelWindow"/>): a step is two counts and a short walk.
/// A stream that keeps producing new values (a synthetic float signal) makes that table overflow, and the window
/// switches for good to a sorted copy, where a step is two rank counts and a short memmove.
/// The sorted copy counts ranks with SIMD compares over the whole window rather than a binary search: on ECG the
/// search's branches are unpredictable, and counting 73 or 217 floats without a branch is cheaper than the ~7
/// mispredictions a search costs. It is padded to a whole number of vectors with +∞, which no finite sample is
/// greater than, so the padding never counts.
/// </remarks>
public sealed class SlidingMedian
{
    private readonly int _half;
    private readonly int _window;
    private readonly float[] _ring; // window in arrival order
    private LevelWindow? _levels;   // the window as counts per value, until the stream has too many values
    private float[]? _sorted;       // the window sorted, once it has
    private int _ringHead;
    private int _count;
    private bool _started;
    private float _last;

    public SlidingMedian(int halfWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(halfWidth);
        _half = halfWidth;
        _window = 2 * halfWidth + 1;
        _ring = new float[_window];
        _levels = new LevelWindow(_window, rank: halfWidth);
    }

    public int HalfWidth => _half;

    public int Lag => _half;

    /// <summary>True while the window is kept as counts per value (the fast way for recorded samples).</summary>
    internal bool CountsLevels => _levels is not null;

    /// <summary>Pushes samples (no NaN); appends every median that became available to <paramref name="output"/>.</summary>
    public void Push(ReadOnlySpan<float> samples, List<float> output)
    {
        var start = output.Count;
        CollectionsMarshal.SetCount(output, start + samples.Length);
        CollectionsMarshal.SetCount(output, start + Push(samples, CollectionsMarshal.AsSpan(output)[start..]));
    }

    /// <summary>Ends the stream: pads with the last sample so the final h medians come out.</summary>
    public void Complete(List<float> output)
    {
        var start = output.Count;
        CollectionsMarshal.SetCount(output, start + _half);
        CollectionsMarshal.SetCount(output, start + Complete(CollectionsMarshal.AsSpan(output)[start..]));
    }

    /// <summary>
    /// Pushes samples (no NaN) and writes the medians that became available to the start of <paramref name="output"/>,
    /// which must hold as many values as <paramref name="samples"/> (a sample completes at most one window); returns
    /// how many were written.
    /// </summary>
    public int Push(ReadOnlySpan<float> samples, Span<float> output)
    {
        if (output.Length < samples.Length) throw new ArgumentException($"room for {output.Length} medians, {samples.Length} may come", nameof(output));
        if (samples.IsEmpty) return 0;
        var written = 0;
        if (!_started)
        {
            _started = true;
            for (var i = 0; i < _half; i++) Enter(samples[0]); // left padding: the first sample, h times
        }
        foreach (var x in samples)
        {
            Enter(x);
            if (_count == _window) output[written++] = Median();
        }
        _last = samples[^1];
        return written;
    }

    /// <summary>Ends the stream into <paramref name="output"/> (room for <see cref="HalfWidth"/> values); returns how many were written.</summary>
    public int Complete(Span<float> output)
    {
        if (output.Length < _half) throw new ArgumentException($"room for {output.Length} medians, {_half} may come", nameof(output));
        if (!_started) return 0;
        var written = 0;
        for (var i = 0; i < _half; i++)
        {
            Enter(_last);
            if (_count == _window) output[written++] = Median(); // a stream shorter than h fills the window late
        }
        return written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Median() => _levels?.ValueAtRank() ?? _sorted![_half];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Enter(float x)
    {
        if (_levels is not null && !_levels.TryEnter(x, _ringHead, replacing: _count == _window)) SwitchToSorting();
        if (_levels is null) EnterSorted(x);
        _ring[_ringHead] = x;
        if (++_ringHead == _window) _ringHead = 0;
        if (_count < _window) _count++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SwitchToSorting()
    {
        _levels = null;
        _sorted = SortedWindow();
    }

    /// <summary>The window's values in order, padded with +∞ to whole vectors (the ring fills from slot 0).</summary>
    private float[] SortedWindow()
    {
        var lanes = Vector<float>.Count;
        var sorted = new float[(_window + lanes - 1) / lanes * lanes];
        sorted.AsSpan().Fill(float.PositiveInfinity);
        _ring.AsSpan(0, _count).CopyTo(sorted);
        sorted.AsSpan(0, _count).Sort();
        return sorted;
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // per sample once sorting, but kept out of the counting loop
    private void EnterSorted(float x)
    {
        var sorted = _sorted.AsSpan(0, _window);
        if (_count < _window)
        {
            var at = RankOf(x);
            sorted[at.._count].CopyTo(sorted[(at + 1)..]);
            sorted[at] = x;
        }
        else
        {
            // Replace the leaving value by the new one, moving only the values between them.
            var (leaving, insert) = RanksOf(_ring[_ringHead], x);
            if (insert > leaving)
            {
                sorted[(leaving + 1)..insert].CopyTo(sorted[leaving..]);
                sorted[insert - 1] = x;
            }
            else
            {
                sorted[insert..leaving].CopyTo(sorted[(insert + 1)..]);
                sorted[insert] = x;
            }
        }
    }

    /// <summary>How many window values are less than <paramref name="x"/>: its lower bound in the sorted window.</summary>
    private int RankOf(float x) => RanksOf(x, x).First;

    /// <summary>The ranks (lower bounds) of two values in one pass over the sorted window.</summary>
    private (int First, int Second) RanksOf(float first, float second)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(_sorted!);
        var a = new Vector<float>(first);
        var b = new Vector<float>(second);
        var countA = Vector<int>.Zero;
        var countB = Vector<int>.Zero;
        foreach (var v in vectors)
        {
            countA -= Vector.LessThan(v, a); // a true lane is -1
            countB -= Vector.LessThan(v, b);
        }
        return (Vector.Sum(countA), Vector.Sum(countB));
    }

    /// <summary>The same snapshot whichever way the window is kept: the sorted window and the ring.</summary>
    internal void Save(BinaryWriter writer)
    {
        writer.Write(_half);
        writer.Write(_ringHead);
        writer.Write(_count);
        writer.Write(_started);
        writer.Write(_last);
        foreach (var v in (_sorted ?? SortedWindow()).AsSpan(0, _window)) writer.Write(v);
        foreach (var v in _ring) writer.Write(v);
    }

    internal static SlidingMedian Load(BinaryReader reader)
    {
        var median = new SlidingMedian(StateFormat.Count(reader.ReadInt32(), 1 << 20));
        median._ringHead = StateFormat.Count(reader.ReadInt32(), median._ring.Length - 1);
        median._count = StateFormat.Count(reader.ReadInt32(), median._window);
        median._started = reader.ReadBoolean();
        median._last = reader.ReadSingle();
        for (var i = 0; i < median._window; i++) reader.ReadSingle(); // the sorted window: rebuilt from the ring
        for (var i = 0; i < median._ring.Length; i++) median._ring[i] = reader.ReadSingle();
        for (var slot = 0; slot < median._count && median._levels is not null; slot++)
            if (!median._levels.TryEnter(median._ring[slot], slot, replacing: false)) median._levels = null;
        if (median._levels is null) median._sorted = median.SortedWindow();
        return median;
    }
}
