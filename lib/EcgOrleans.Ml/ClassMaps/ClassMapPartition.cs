using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.ClassMaps;

/// <summary>Splits a scored batch into one partial accumulator per class map it touches.</summary>
public static class ClassMapPartition
{
    public static IReadOnlyList<ClassMapGrouping> AllGroupings { get; } =
        [ClassMapGrouping.Reference, ClassMapGrouping.Predicted, ClassMapGrouping.Cell];

    /// <summary>
    /// The maps a beat belongs to: its predicted class, and when its reference class is known, that class and
    /// its confusion cell (beats without a reference, e.g. from a QRS detector, have neither).
    /// </summary>
    public static IEnumerable<ClassMapKey> KeysOf(AamiClass? reference, AamiClass predicted, IReadOnlyCollection<ClassMapGrouping> groupings)
    {
        if (reference is { } known && groupings.Contains(ClassMapGrouping.Reference)) yield return ClassMapKey.ByReference(known);
        if (groupings.Contains(ClassMapGrouping.Predicted)) yield return ClassMapKey.ByPredicted(predicted);
        if (reference is { } cell && groupings.Contains(ClassMapGrouping.Cell)) yield return ClassMapKey.Cell(cell, predicted);
    }

    /// <summary>One accumulator per class map touched by the batch, holding only this batch's beats.</summary>
    /// <param name="batch">What <see cref="BeatScorer.Score"/> returned.</param>
    /// <param name="waveforms">The batch's waveforms (B x L) as scored.</param>
    /// <param name="rhythm">The batch's rhythm features (B x R) as scored.</param>
    /// <param name="references">Reference class of every beat, null where unknown; null when none is known.</param>
    /// <param name="groupings">Groupings to fill; all three by default.</param>
    public static Dictionary<ClassMapKey, ClassMapAccumulator> Split(ScoredBatch batch, float[] waveforms, float[] rhythm,
        IReadOnlyList<AamiClass?>? references, IReadOnlyCollection<ClassMapGrouping>? groupings = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var count = BeatBatchValidation.Validate(waveforms, rhythm, batch.WaveformLength, batch.RhythmLength);
        if (count != batch.Count) throw new ArgumentException($"{count} beats given for a scored batch of {batch.Count}", nameof(waveforms));
        if (references is not null && references.Count != count)
            throw new ArgumentException($"{references.Count} reference classes for {count} beats", nameof(references));
        var chosen = groupings ?? AllGroupings;

        var maps = new Dictionary<ClassMapKey, ClassMapAccumulator>();
        for (var b = 0; b < count; b++)
        {
            var waveform = waveforms.AsSpan(b * batch.WaveformLength, batch.WaveformLength);
            var beatRhythm = rhythm.AsSpan(b * batch.RhythmLength, batch.RhythmLength);
            foreach (var key in KeysOf(references?[b], batch.Predicted[b], chosen))
            {
                if (!maps.TryGetValue(key, out var map))
                    maps[key] = map = new ClassMapAccumulator(batch.WaveformLength, batch.RhythmLength);
                map.Add(batch.MapOf(b), waveform, beatRhythm);
            }
        }
        return maps;
    }
}
