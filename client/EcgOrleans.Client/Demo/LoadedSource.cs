using EcgOrleans.Signal.Sources;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Client.Demo;

/// <summary>A source's records read (or generated) once and held in memory, so that two runs ingest the same records without reading them twice.</summary>
internal sealed class LoadedSource : IRecordSource
{
    private readonly Dictionary<string, WfdbRecord> _records;

    private LoadedSource(string dataset, IReadOnlyList<string> names, Dictionary<string, WfdbRecord> records)
    {
        Dataset = dataset;
        Records = names;
        _records = records;
    }

    public string Dataset { get; }

    public IReadOnlyList<string> Records { get; }

    /// <summary>Loads every record of <paramref name="source"/>, several at once.</summary>
    public static LoadedSource Load(IRecordSource source, CancellationToken cancellation)
    {
        var loaded = new WfdbRecord[source.Records.Count];
        Parallel.For(0, loaded.Length, new ParallelOptions { CancellationToken = cancellation }, i => loaded[i] = source.Load(source.Records[i]));
        return new LoadedSource(source.Dataset, source.Records, source.Records.Zip(loaded).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
    }

    /// <summary>The same records, only those named.</summary>
    public LoadedSource Subset(IReadOnlyList<string> names) => new(Dataset, names, _records);

    public WfdbRecord Load(string record) =>
        _records.TryGetValue(record, out var loaded) ? loaded : throw new KeyNotFoundException($"record {record} is not in {Dataset}");
}
