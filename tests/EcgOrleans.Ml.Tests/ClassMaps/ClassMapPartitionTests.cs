using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Tests.ClassMaps;

public sealed class ClassMapPartitionTests
{
    private const int Length = 2;
    private const int Rhythm = 1;

    /// <summary>Three beats: (reference V, predicted N), (reference N, predicted N), (no reference, predicted V).</summary>
    private static (ScoredBatch Batch, float[] Waveforms, float[] Rhythm, AamiClass?[] References) Example()
    {
        float[] saliency = [1, 0.5f, 0, 0.2f, 1, 0.4f, 0, 0, 1];
        var batch = new ScoredBatch(3, Length, Rhythm, new float[15], [AamiClass.N, AamiClass.N, AamiClass.V], [AamiClass.N, AamiClass.N, AamiClass.V], saliency);
        return (batch, [1, 2, 3, 4, 5, 6], [0.9f, 1.1f, 1.0f], [AamiClass.V, AamiClass.N, null]);
    }

    [Fact]
    public void A_batch_splits_into_one_partial_map_per_grouping_and_class()
    {
        var (batch, waveforms, rhythm, references) = Example();

        var maps = ClassMapPartition.Split(batch, waveforms, rhythm, references);

        Assert.Equal(
            new[] { "cell/N-N", "cell/V-N", "predicted/N", "predicted/V", "reference/N", "reference/V" },
            maps.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(2, maps[ClassMapKey.ByPredicted(AamiClass.N)].Count);
        Assert.Equal([0.6, 0.75, 0.2], maps[ClassMapKey.ByPredicted(AamiClass.N)].SaliencyMean.Select(v => Math.Round(v, 6)));
        Assert.Equal([1.0, 2.0, 0.9], maps[ClassMapKey.Cell(AamiClass.V, AamiClass.N)].BeatMean.Select(v => Math.Round(v, 6)));
        Assert.Equal([5.0, 6.0, 1.0], maps[ClassMapKey.ByPredicted(AamiClass.V)].BeatMean);
        // Every beat counts once per grouping it can join; the beat without a reference joins only "predicted".
        Assert.Equal(3, maps.Where(m => m.Key.Grouping == ClassMapGrouping.Predicted).Sum(m => m.Value.Count));
        Assert.Equal(2, maps.Where(m => m.Key.Grouping == ClassMapGrouping.Reference).Sum(m => m.Value.Count));
        Assert.Equal(2, maps.Where(m => m.Key.Grouping == ClassMapGrouping.Cell).Sum(m => m.Value.Count));
    }

    [Fact]
    public void Only_the_chosen_groupings_are_filled()
    {
        var (batch, waveforms, rhythm, references) = Example();

        var maps = ClassMapPartition.Split(batch, waveforms, rhythm, references, [ClassMapGrouping.Cell]);

        Assert.All(maps.Keys, k => Assert.Equal(ClassMapGrouping.Cell, k.Grouping));
        Assert.Equal(2, maps.Count);
    }

    [Fact]
    public void Inputs_that_do_not_match_the_batch_are_rejected()
    {
        var (batch, waveforms, rhythm, references) = Example();

        Assert.Contains("2 beats given for a scored batch of 3",
            Assert.Throws<ArgumentException>(() => ClassMapPartition.Split(batch, waveforms[..4], rhythm[..2], references)).Message);
        Assert.Contains("2 reference classes for 3 beats",
            Assert.Throws<ArgumentException>(() => ClassMapPartition.Split(batch, waveforms, rhythm, references[..2])).Message);
    }
}
