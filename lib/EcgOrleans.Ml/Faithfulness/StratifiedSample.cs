using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Faithfulness;

/// <summary>A fixed, seeded sample of beats with at most a given number per AAMI class, so that rare classes are seen at all.</summary>
public static class StratifiedSample
{
    /// <summary>
    /// Indices into <paramref name="labels"/>, ascending: each class's beats shuffled with <paramref name="seed"/> and the
    /// first <paramref name="perClass"/> kept (all of them when a class has fewer). A smaller <paramref name="perClass"/>
    /// with the same seed gives a subset of a larger one's sample, so a cheaper check runs on beats of the bigger one.
    /// </summary>
    public static int[] Of(IReadOnlyList<AamiClass> labels, int perClass, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        var chosen = new List<int>();
        foreach (var aami in Aami.Classes)
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == aami).ToArray();
            // A generator per class: one class's size does not change another's draw.
            // (HashCode.Combine would differ from process to process.)
            new Random(unchecked(seed * 31 + (int)aami)).Shuffle(members);
            chosen.AddRange(members.Take(perClass));
        }
        chosen.Sort();
        return [.. chosen];
    }
}
