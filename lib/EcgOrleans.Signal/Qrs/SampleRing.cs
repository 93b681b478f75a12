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

    /// <summary>Writes the values of the <paramref name="latest"/> samples before <paramref name="end"/>: those still to be read.</summary>
    public void Save(BinaryWriter writer, long end, int latest)
    {
        if (latest > _values.Length) throw new InvalidOperationException($"a ring of {_values.Length} values does not hold the latest {latest}");
        var count = (int)Math.Min(latest, end);
        writer.Write(count);
        for (var sample = end - count; sample < end; sample++) writer.Write(this[sample]);
    }

    /// <summary>
    /// Reads what <see cref="Save"/> wrote with the same <paramref name="end"/> and <paramref name="latest"/>. The other
    /// values become NaN: should one ever be read, it spoils the output visibly instead of passing for a sample.
    /// </summary>
    public void Load(BinaryReader reader, long end, int latest)
    {
        var count = reader.ReadInt32();
        if (count != Math.Min(latest, end)) throw new InvalidDataException($"corrupt state snapshot: {count} values of a sample ring where {Math.Min(latest, end)} are expected");
        Array.Fill(_values, double.NaN);
        for (var sample = end - count; sample < end; sample++) this[sample] = reader.ReadDouble();
    }

    /// <summary>The value at absolute sample <paramref name="sample"/>; the caller keeps it within the last Capacity samples.</summary>
    public double this[long sample]
    {
        get => _values[sample & _mask];
        set => _values[sample & _mask] = value;
    }
}
