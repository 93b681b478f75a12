using EcgOrleans.Ml.Faithfulness;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Tests.Faithfulness;

public sealed class StratifiedSampleTests
{
    private static readonly AamiClass[] Labels =
        [.. Enumerable.Repeat(AamiClass.N, 500), .. Enumerable.Repeat(AamiClass.V, 40), .. Enumerable.Repeat(AamiClass.Q, 3), .. Enumerable.Repeat(AamiClass.N, 100)];

    [Fact]
    public void Each_class_is_capped_a_rare_class_is_taken_whole_and_an_absent_one_is_absent()
    {
        var sample = StratifiedSample.Of(Labels, perClass: 25, seed: 4);
        var counts = sample.GroupBy(i => Labels[i]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(25, counts[AamiClass.N]);
        Assert.Equal(25, counts[AamiClass.V]);
        Assert.Equal(3, counts[AamiClass.Q]);
        Assert.False(counts.ContainsKey(AamiClass.S));
        Assert.Equal(sample.Order(), sample);
        Assert.Equal(sample.Length, sample.Distinct().Count());
        // N beats come from both runs of N, not only the first 25 indices.
        Assert.Contains(sample, i => Labels[i] == AamiClass.N && i >= 100);
    }

    [Fact]
    public void The_same_seed_gives_the_same_beats_and_a_smaller_sample_is_a_subset()
    {
        Assert.Equal(StratifiedSample.Of(Labels, 25, seed: 4), StratifiedSample.Of(Labels, 25, seed: 4));
        Assert.NotEqual(StratifiedSample.Of(Labels, 25, seed: 4), StratifiedSample.Of(Labels, 25, seed: 5));
        Assert.Subset(StratifiedSample.Of(Labels, 25, seed: 4).ToHashSet(), StratifiedSample.Of(Labels, 10, seed: 4).ToHashSet());
    }
}
