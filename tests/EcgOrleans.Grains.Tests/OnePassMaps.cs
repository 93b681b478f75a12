using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Grains.Tests;

/// <summary>The class maps EcgOrleans.Ml computes in one pass over a record set: what the grains must reproduce.</summary>
internal static class OnePassMaps
{
    /// <param name="extract">How a record's beats are cut: around its reference annotations unless told otherwise.</param>
    public static Dictionary<string, ClassMapAccumulator> Compute(byte[] checkpoint, IEnumerable<WfdbRecord> records, string method = "vanilla",
        Func<WfdbRecord, BeatRepresentation, IReadOnlyList<Beat>>? extract = null)
    {
        extract ??= RecordBeats.Extract;
        var loaded = Checkpoint.Load(checkpoint, "test");
        var representation = BeatRepresentation.Parse(loaded.Metadata.Representation);
        var scorer = new BeatScorer(loaded.Model, SaliencyMethods.Create(method));
        var rhythmCount = loaded.Metadata.RhythmFeatureCount;
        var maps = new Dictionary<string, ClassMapAccumulator>();
        foreach (var record in records)
        {
            var beats = extract(record, representation);
            // Batches of 100: a partition unlike the grains', so equality also checks that partitions do not matter.
            foreach (var batch in beats.Chunk(100))
            {
                var waveforms = batch.SelectMany(b => b.Waveform).ToArray();
                var rhythm = batch.SelectMany(b => b.Rhythm.Take(rhythmCount)).ToArray();
                var references = batch.Select(b => b.Reference).ToArray();
                var scored = scorer.Score(waveforms, rhythm, references);
                foreach (var (key, partial) in ClassMapPartition.Split(scored, waveforms, rhythm, references))
                {
                    if (maps.TryGetValue(key.ToString(), out var existing)) existing.Merge(partial);
                    else maps[key.ToString()] = partial;
                }
            }
        }
        return maps;
    }
}
