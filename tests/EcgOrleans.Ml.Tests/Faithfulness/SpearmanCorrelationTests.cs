using EcgOrleans.Ml.Faithfulness;

namespace EcgOrleans.Ml.Tests.Faithfulness;

public sealed class SpearmanCorrelationTests
{
    // Ranks are small exact doubles; the one square root is correct to an ulp.
    private const double Exact = 1e-12;

    [Fact]
    public void Monotone_relations_give_plus_or_minus_one()
    {
        float[] x = [0.1f, 3f, 2f, 7f, 5f];
        Assert.Equal(1, SpearmanCorrelation.Of(x, [.. x.Select(v => MathF.Exp(v))]), Exact);
        Assert.Equal(-1, SpearmanCorrelation.Of(x, [.. x.Select(v => -v * v)]), Exact);
    }

    [Fact]
    public void Ties_share_their_average_rank_as_scipy_does()
    {
        Assert.Equal([1, 2.5, 2.5, 4], SpearmanCorrelation.Ranks([1f, 2f, 2f, 3f]));
        // Ranks [1, 2.5, 2.5, 4] and [1, 3, 2, 4]: covariance 4.5, spreads 4.5 and 5, so ρ = 4.5 / √22.5
        // (scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]) = 0.9486832980505138).
        Assert.Equal(4.5 / Math.Sqrt(22.5), SpearmanCorrelation.Of([1f, 2f, 2f, 3f], [1f, 3f, 2f, 4f]), Exact);
        Assert.Equal(0.9486832980505138, SpearmanCorrelation.Of([1f, 2f, 2f, 3f], [1f, 3f, 2f, 4f]), Exact);
    }

    [Fact]
    public void A_constant_map_has_no_correlation_to_report()
    {
        Assert.True(double.IsNaN(SpearmanCorrelation.Of([0f, 0f, 0f], [1f, 2f, 3f])));
        Assert.Throws<ArgumentException>(() => SpearmanCorrelation.Of([1f, 2f], [1f, 2f, 3f]));
    }
}
