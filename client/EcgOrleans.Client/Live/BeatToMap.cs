namespace EcgOrleans.Client.Live;

/// <summary>
/// Beat-to-map latency: for each acknowledged chunk, the time from its send until a reader saw the maps hold every
/// beat of the chunks sent up to then. Pure, so the arithmetic is checked apart from any cluster.
/// </summary>
internal static class BeatToMap
{
    /// <param name="sent">Per acknowledged chunk: when it was sent and the beats it added (timestamps in any one unit).</param>
    /// <param name="seen">When the reader saw which total count, in time order.</param>
    /// <returns>Latencies (in the timestamps' unit) of the chunks that added beats, and how many were never seen.</returns>
    public static (List<double> Latencies, int Unseen) Latencies(IEnumerable<(long Sent, long Beats)> sent, IReadOnlyList<(long At, long Count)> seen)
    {
        var latencies = new List<double>();
        var unseen = 0;
        long cumulative = 0;
        var reading = 0;
        foreach (var (at, beats) in sent.OrderBy(s => s.Sent))
        {
            cumulative += beats;
            if (beats <= 0) continue;
            // Readings only move forward: the target count and the send time both grow.
            while (reading < seen.Count && (seen[reading].At < at || seen[reading].Count < cumulative)) reading++;
            if (reading == seen.Count) unseen++;
            else latencies.Add(seen[reading].At - at);
        }
        return (latencies, unseen);
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
