using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Telemetry;
using EcgOrleans.Ml.ClassMaps;

namespace EcgOrleans.Grains.Pipeline;

/// <summary>
/// What a record's beats since its last commit point add to its run's class maps: one accumulator per class map,
/// merged from the partial maps of its scored batches.
/// </summary>
public sealed class Contribution
{
    private readonly SortedDictionary<string, ClassMapAccumulator> _maps = new(StringComparer.Ordinal);
    private readonly List<(BeatBatch Batch, BatchScores Scores)> _batches = [];

    public bool IsEmpty => _maps.Count == 0;

    public void Add(BeatBatch batch, BatchScores scores)
    {
        foreach (var partial in scores.Partials) Add(partial);
        _batches.Add((batch, scores));
    }

    public void Add(PartialMap partial)
    {
        var incoming = ClassMapConversions.ToAccumulator(partial); // a copy: the partial's arrays stay as they are
        if (_maps.TryGetValue(partial.Key, out var sum)) sum.Merge(incoming);
        else _maps[partial.Key] = incoming;
    }

    /// <summary>One partial map per class map, in key order; the accumulators must not change afterwards (call <see cref="Clear"/>).</summary>
    public PartialMap[] Parts() => [.. _maps.Select(m => ClassMapConversions.ToPartial(m.Key, m.Value))];

    /// <summary>Counts the gathered batches' beats in the product's metrics, once their contribution is applied.</summary>
    public void Counted(string model)
    {
        foreach (var (batch, scores) in _batches) EcgMetrics.BatchMerged(model, batch, scores, anyNew: true);
    }

    public void Clear()
    {
        _maps.Clear();
        _batches.Clear();
    }
}
