namespace EcgOrleans.Grains.Pipeline;

/// <summary>How far a class map has applied one publisher's epochs, and up to which epoch it refuses them.</summary>
[GenerateSerializer, Immutable, Alias("ecg.PublisherMark")]
public sealed record PublisherMark([property: Id(0)] long Applied, [property: Id(1)] long Fenced, [property: Id(2)] DateTimeOffset Seen);

/// <summary>What a class map does with an epoch a publisher sends.</summary>
public enum EpochDecision
{
    Apply,
    Repeat,
    Fenced,
}

/// <summary>
/// A class map's replay detection: per publisher (one activation of a silo's class-map publisher), the last epoch
/// applied and the last fenced. A publisher applies its epochs in order and stops at its first failure, so every
/// epoch up to <see cref="PublisherMark.Applied"/> that touched this map was applied, and one above it never was
/// unless it arrives later. The state grows with publisher activations (silos and their restarts), not with records
/// or monitors; marks not seen for <see cref="Retention"/> are dropped.
/// </summary>
public static class PublisherMarks
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public static EpochDecision Decide(IReadOnlyDictionary<string, PublisherMark> marks, string publisher, long epoch)
    {
        if (!marks.TryGetValue(publisher, out var mark)) return EpochDecision.Apply;
        if (epoch <= mark.Applied) return EpochDecision.Repeat;
        return epoch <= mark.Fenced ? EpochDecision.Fenced : EpochDecision.Apply;
    }

    /// <summary>The marks after applying <paramref name="epoch"/>, with marks older than the retention dropped.</summary>
    public static Dictionary<string, PublisherMark> AfterApplying(IReadOnlyDictionary<string, PublisherMark> marks, string publisher, long epoch, DateTimeOffset now)
    {
        var next = Pruned(marks, now);
        var fenced = next.TryGetValue(publisher, out var mark) ? mark.Fenced : 0;
        next[publisher] = new PublisherMark(epoch, fenced, now);
        return next;
    }

    /// <summary>Whether the epoch was applied; when not, the marks that refuse it from now on (null when it was).</summary>
    public static (bool Applied, Dictionary<string, PublisherMark>? Fenced) Resolve(IReadOnlyDictionary<string, PublisherMark> marks, string publisher, long epoch, DateTimeOffset now)
    {
        var mark = marks.GetValueOrDefault(publisher) ?? new PublisherMark(0, 0, now);
        if (epoch <= mark.Applied) return (true, null);
        if (epoch <= mark.Fenced) return (false, null);
        var next = Pruned(marks, now);
        next[publisher] = mark with { Fenced = epoch, Seen = now };
        return (false, next);
    }

    private static Dictionary<string, PublisherMark> Pruned(IReadOnlyDictionary<string, PublisherMark> marks, DateTimeOffset now) =>
        marks.Where(m => now - m.Value.Seen <= Retention).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
}
