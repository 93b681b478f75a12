using EcgOrleans.Ml.Saliency;

namespace EcgOrleans.Ml.Tests.Saliency;

public sealed class EqualPartsTests
{
    [Theory]
    [InlineData(259, 4, new[] { 65, 65, 65, 64 })]
    [InlineData(256, 4, new[] { 64, 64, 64, 64 })]
    [InlineData(3, 1, new[] { 3 })]
    [InlineData(0, 0, new int[0])]
    public void Parts_are_consecutive_differ_by_at_most_one_and_the_larger_come_first(int total, int parts, int[] lengths)
    {
        var cut = EqualParts.Of(total, parts).ToList();

        Assert.Equal(lengths, cut.Select(p => p.Length));
        Assert.Equal(cut.Select(p => p.Start), lengths.Select((_, i) => lengths.Take(i).Sum()));
    }

    [Fact]
    public void Items_without_a_part_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EqualParts.Of(5, 0).ToList());
}
