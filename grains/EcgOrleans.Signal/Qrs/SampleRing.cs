namespace EcgOrleans.Signal.Qrs;

/// <summary>
/// The last <see cref="Capacity"/> values of a per-sample signal, addressed by absolute sample number:
/// bounded memory, however long the record.
/// </summary>
internal sealed class SampleRing
{
    private readonly double[] _values;
    private readonly long _mask;

    public SampleRing(int minimumCapacity)
    {
        var capacity = 1;
        while (capacity < minimumCapacity) capacity <<= 1;
        _values = new double[capacity];
        _mask = capacity - 1;
    }

    public int Capacity => _values.Length;

    public void Save(BinaryWriter writer)
    {
        writer.Write(_values.Length);
        foreach (var value in _values) writer.Write(value);
    }

    /// <summary>Reads what <see cref="Save"/> wrote into a ring of the same capacity.</summary>
    public void Load(BinaryReader reader)
    {
        var capacity = reader.ReadInt32();
        if (capacity != _values.Length) throw new InvalidDataException($"corrupt state snapshot: a sample ring of {capacity} values where {_values.Length} are expected");
        for (var i = 0; i < _values.Length; i++) _values[i] = reader.ReadDouble();
    }

    /// <summary>The value at absolute sample <paramref name="sample"/>; the caller keeps it within the last Capacity samples.</summary>
    public double this[long sample]
    {
        get => _values[sample & _mask];
        set => _values[sample & _mask] = value;
    }
}
