namespace EcgOrleans.Ml.Faithfulness;

/// <summary>Spearman's rank correlation, ties given their average rank (as scipy.stats.spearmanr does).</summary>
public static class SpearmanCorrelation
{
    /// <summary>
    /// The Pearson correlation of the two vectors' ranks, in [-1, 1]; NaN when either vector is constant (its ranks have
    /// no spread, so no ordering can agree or disagree with it).
    /// </summary>
    public static double Of(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"vectors of {a.Count} and {b.Count} values", nameof(b));
        if (a.Count < 2) throw new ArgumentException("a correlation needs at least two values", nameof(a));
        return Pearson(Ranks(a), Ranks(b));
    }

    /// <summary>Ranks 1..n; tied values share the mean of the ranks they span.</summary>
    public static double[] Ranks(IReadOnlyList<float> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var shared = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = shared;
            start = end + 1;
        }
        return ranks;
    }

    private static double Pearson(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
