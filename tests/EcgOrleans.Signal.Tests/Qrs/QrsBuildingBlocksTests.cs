using EcgOrleans.Signal.Qrs;

namespace EcgOrleans.Signal.Tests.Qrs;

public sealed class QrsBuildingBlocksTests
{
    [Fact]
    public void ASettledFilterHasNoStartUpTransient()
    {
        var highPass = Biquad.HighPass(5, 360);
        var lowPass = Biquad.LowPass(15, 360);
        highPass.Settle(-0.7);
        lowPass.Settle(-0.7);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(0, highPass.Next(-0.7), 12);
            Assert.Equal(-0.7, lowPass.Next(-0.7), 12);
        }
    }

    [Fact]
    public void AnUnsettledHighPassRingsOnAnOffset()
    {
        var highPass = Biquad.HighPass(5, 360);
        Assert.True(Math.Abs(highPass.Next(-0.7)) > 0.5);
    }

    [Fact]
    public void ACutoffAboveNyquistIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Biquad.LowPass(200, 360));

    [Fact]
    public void TheRecentMedianForgetsOldValues()
    {
        var median = new RecentMedian(3);
        Assert.True(double.IsNaN(median.Value));
        median.Add(5);
        Assert.Equal(5, median.Value);
        median.Add(1);
        Assert.Equal(3, median.Value);
        median.Add(100);
        Assert.Equal(5, median.Value);
        median.Add(2); // 5 leaves: 1, 100, 2
        Assert.Equal(2, median.Value);
    }

    [Fact]
    public void TheSlidingMaximumFollowsItsWindow()
    {
        var maximum = new SlidingMaximum(3);
        double[] values = [1, 4, 2, 2, 0, 5, 5, 1];
        long[] expected = [0, 1, 1, 1, 3, 5, 6, 6]; // of equal values the latest wins
        for (var i = 0; i < values.Length; i++)
        {
            maximum.Push(i, values[i]);
            Assert.Equal(expected[i], maximum.ArgMax);
        }
    }
}
