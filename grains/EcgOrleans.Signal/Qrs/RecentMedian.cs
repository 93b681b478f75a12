namespace EcgOrleans.Signal.Qrs;

/// <summary>Median of the last <c>capacity</c> values added: robust to the odd outlier, fixed memory.</summary>
internal sealed class RecentMedian(int capacity)
{
    private readonly double[] _values = new double[capacity];
    private readonly double[] _sorted = new double[capacity];
    private int _count, _next;

    public int Count => _count;

    /// <summary>The median of the values held; NaN before the first.</summary>
    public double Value { get; private set; } = double.NaN;

    public void Add(double value)
    {
        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
        _count = Math.Min(_count + 1, _values.Length);
        Array.Copy(_values, _sorted, _count);
        Array.Sort(_sorted, 0, _count);
        var middle = _count / 2;
        Value = _count % 2 == 1 ? _sorted[middle] : (_sorted[middle - 1] + _sorted[middle]) / 2;
    }
}
