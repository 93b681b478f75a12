using EcgOrleans.Signal.Filters;

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
        TakeMedian();
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(_values.Length);
        writer.Write(_count);
        writer.Write(_next);
        foreach (var value in _values) writer.Write(value);
    }

    /// <summary>Reads what <see cref="Save"/> wrote into a median of the same capacity.</summary>
    public void Load(BinaryReader reader)
    {
        var capacity = reader.ReadInt32();
        if (capacity != _values.Length) throw new InvalidDataException($"corrupt state snapshot: a median of {capacity} values where {_values.Length} are expected");
        _count = StateFormat.Count(reader.ReadInt32(), capacity);
        _next = StateFormat.Count(reader.ReadInt32(), capacity - 1);
        for (var i = 0; i < capacity; i++) _values[i] = reader.ReadDouble();
        if (_count == 0) Value = double.NaN;
        else TakeMedian();
    }

    /// <summary>The median of the first <c>_count</c> values: those held, in the order they were stored.</summary>
    private void TakeMedian()
    {
        Array.Copy(_values, _sorted, _count);
        Array.Sort(_sorted, 0, _count);
        var middle = _count / 2;
        Value = _count % 2 == 1 ? _sorted[middle] : (_sorted[middle - 1] + _sorted[middle]) / 2;
    }
}
