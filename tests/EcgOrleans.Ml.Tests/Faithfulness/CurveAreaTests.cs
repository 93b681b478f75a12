using EcgOrleans.Ml.Faithfulness;

namespace EcgOrleans.Ml.Tests.Faithfulness;

public sealed class CurveAreaTests
{
    // Sums of a few doubles of magnitude ≤ 1: exact to well under 1e-12.
    private const double Exact = 1e-12;

    [Fact]
    public void A_straight_line_is_integrated_exactly_and_a_parabola_by_the_trapezoid_rule()
    {
        Assert.Equal(0.5, CurveArea.Trapezoid([0, 0.25, 0.5, 1], [0, 0.25, 0.5, 1]), Exact);
        // y = x² at 0, 1/2, 1: (1/2)(0 + 1/4)/2 + (1/2)(1/4 + 1)/2 = 3/8, not the true 1/3: the rule, not the integral.
        Assert.Equal(0.375, CurveArea.Trapezoid([0, 0.5, 1], [0, 0.25, 1]), Exact);
        // A constant curve's area is its value times the width, whatever the spacing.
        Assert.Equal(0.7, CurveArea.Trapezoid([0, 0.1, 0.9, 1], [0.7, 0.7, 0.7, 0.7]), Exact);
    }

    [Fact]
    public void Bad_curves_are_refused()
    {
        Assert.Throws<ArgumentException>(() => CurveArea.Trapezoid([0, 1], [0]));
        Assert.Throws<ArgumentException>(() => CurveArea.Trapezoid([0], [0]));
        Assert.Throws<ArgumentException>(() => CurveArea.Trapezoid([0, 0.5, 0.5], [0, 1, 2]));
    }
}
