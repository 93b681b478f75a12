namespace EcgOrleans.Ml.Saliency;

/// <summary>
/// Consecutive parts of equal size (±1, the larger ones first): how a record stream cuts its waiting beats into
/// batches and a scorer cuts a batch into passes, so that neither ends in a short tail that costs a whole step.
/// </summary>
public static class EqualParts
{
    /// <summary>The start and length of each of <paramref name="parts"/> parts of <paramref name="total"/> items.</summary>
    public static IEnumerable<(int Start, int Length)> Of(int total, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfNegative(parts);
        if (parts == 0 && total > 0) throw new ArgumentOutOfRangeException(nameof(parts), parts, $"{total} items need at least one part");
        for (int part = 0, start = 0; part < parts; part++)
        {
            var length = total / parts + (part < total % parts ? 1 : 0);
            yield return (start, length);
            start += length;
        }
    }
}
