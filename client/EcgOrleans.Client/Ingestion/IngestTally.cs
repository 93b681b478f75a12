using System.Collections.Concurrent;
using System.Globalization;

namespace EcgOrleans.Client.Ingestion;

/// <summary>
/// Progress across the records of an ingest: each record counts by the share of its beats acknowledged so far, so
/// the total moves while records are under way, not only when one finishes.
/// </summary>
internal sealed class IngestTally(int records)
{
    private readonly ConcurrentDictionary<string, (long Beats, double Share)> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _finished = new(StringComparer.Ordinal);

    public int Records { get; } = records;

    /// <summary>A record's beats acknowledged so far, of about <paramref name="expected"/>.</summary>
    public void Report(string record, long beats, long expected) =>
        _records[record] = (beats, Math.Clamp(beats / (double)Math.Max(1, expected), 0, 1));

    /// <summary>The record is over (done or refused); returns its beats.</summary>
    public long Finish(string record)
    {
        _finished[record] = true;
        return _records.TryGetValue(record, out var r) ? r.Beats : 0;
    }

    public int Finished => _finished.Count;

    /// <summary>Records done, fractions of those under way included: 2.5 when two are done and one is half way.</summary>
    public double RecordsDone => _records.Sum(r => _finished.ContainsKey(r.Key) ? 1 : r.Value.Share) +
        _finished.Keys.Count(k => !_records.ContainsKey(k));

    public long Beats => _records.Values.Sum(r => r.Beats);

    public double Percent => 100 * RecordsDone / Math.Max(1, Records);

    /// <summary>The totals as a log line.</summary>
    public string Line(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{Finished}/{Records} records done, {Beats:#,0} beats, {Percent:0}% after {elapsed.TotalSeconds:0} s");
}
