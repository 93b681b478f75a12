using EcgOrleans.Signal.Synthetic;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Sources;

/// <summary>
/// The bundled synthetic database (<see cref="SyntheticEcg.Database"/>) as a record source: records
/// s001, s002, ... generated on demand, the same for the same seed, nothing read from disk.
/// </summary>
public sealed class SyntheticSource : IRecordSource
{
    public const int DefaultRecords = 8;
    public const double DefaultSeconds = 300;

    private readonly string[] _names;

    public SyntheticSource(int seed = 1, int records = DefaultRecords, double seconds = DefaultSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(records, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(records, 999);
        if (!(seconds > 0)) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "must be positive");
        Seed = seed;
        Seconds = seconds;
        _names = [.. Enumerable.Range(0, records).Select(SyntheticEcg.RecordName)];
    }

    public string Dataset => "synthetic";

    public int Seed { get; }

    public double Seconds { get; }

    public IReadOnlyList<string> Records => _names;

    public WfdbRecord Load(string record)
    {
        var index = Array.IndexOf(_names, record);
        if (index < 0)
            throw new WfdbFormatException(record, record + ".hea", "record name",
                $"not a record of the synthetic dataset ({Records[0]}..{Records[^1]})");
        return SyntheticEcg.Generate(SyntheticEcg.RecordOptions(Seed, index), record, Seconds);
    }
}
