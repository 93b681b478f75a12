namespace EcgOrleans.Ml.Faithfulness;

/// <summary>Areas under sampled curves, as the faithfulness tests report them.</summary>
public static class CurveArea
{
    /// <summary>
    /// Trapezoid-rule area under y(x) for increasing <paramref name="x"/>: the exact area of the piecewise-linear curve
    /// through the points, so a curve sampled at its kinks (a deletion curve is constant between steps only in the limit)
    /// is integrated without bias towards either end.
    /// </summary>
    public static double Trapezoid(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} x values for {y.Count} y values", nameof(y));
        if (x.Count < 2) throw new ArgumentException("a curve needs at least two points", nameof(x));
        var area = 0.0;
        for (var i = 1; i < x.Count; i++)
        {
            if (!(x[i] > x[i - 1])) throw new ArgumentException($"x must increase: x[{i}] = {x[i]} after {x[i - 1]}", nameof(x));
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
        }
        return area;
    }
}
