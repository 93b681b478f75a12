using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Evaluation;

/// <summary>Counts of (reference, predicted) AAMI class pairs: rows are the reference, columns the prediction.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] counts = new long[Aami.ClassCount, Aami.ClassCount];

    public long this[AamiClass reference, AamiClass predicted] => counts[(int)reference, (int)predicted];

    public long Total { get; private set; }

    public void Add(AamiClass reference, AamiClass predicted, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!Enum.IsDefined(reference)) throw new ArgumentOutOfRangeException(nameof(reference), reference, "not an AAMI class");
        if (!Enum.IsDefined(predicted)) throw new ArgumentOutOfRangeException(nameof(predicted), predicted, "not an AAMI class");
        counts[(int)reference, (int)predicted] += count;
        Total += count;
    }

    /// <summary>Builds a matrix from rows of counts (reference class by row, in class order N, S, V, F, Q).</summary>
    public static ConfusionMatrix FromRows(IReadOnlyList<IReadOnlyList<long>> rows)
    {
        if (rows.Count != Aami.ClassCount || rows.Any(r => r.Count != Aami.ClassCount))
            throw new ArgumentException($"a confusion matrix has {Aami.ClassCount} rows of {Aami.ClassCount} counts", nameof(rows));
        var matrix = new ConfusionMatrix();
        for (var r = 0; r < Aami.ClassCount; r++)
        for (var p = 0; p < Aami.ClassCount; p++)
            matrix.Add((AamiClass)r, (AamiClass)p, rows[r][p]);
        return matrix;
    }

    public long[][] ToRows() =>
        [.. Enumerable.Range(0, Aami.ClassCount).Select(r => Enumerable.Range(0, Aami.ClassCount).Select(p => counts[r, p]).ToArray())];

    /// <summary>Beats whose reference is <paramref name="c"/>.</summary>
    public long ReferenceCount(AamiClass c) => Enumerable.Range(0, Aami.ClassCount).Sum(p => counts[(int)c, p]);

    /// <summary>Beats predicted as <paramref name="c"/>.</summary>
    public long PredictedCount(AamiClass c) => Enumerable.Range(0, Aami.ClassCount).Sum(r => counts[r, (int)c]);

    public long Correct => Enumerable.Range(0, Aami.ClassCount).Sum(c => counts[c, c]);
}
