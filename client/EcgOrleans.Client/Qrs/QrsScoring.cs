using System.Diagnostics;
using System.Runtime.ExceptionServices;
using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Sources;

namespace EcgOrleans.Client.Qrs;

/// <summary>The QRS detector run over records' primary lead and scored against their reference annotations, as bxb does.</summary>
internal static class QrsScoring
{
    /// <summary>Detects and scores every record of the source, in parallel; the report keeps the source's order.</summary>
    public static QrsReport Evaluate(IRecordSource source, BeatComparisonOptions options, CancellationToken cancellation)
    {
        var records = source.Records;
        var clock = Stopwatch.StartNew();
        var results = new RecordResult[records.Count];
        var offsets = new long[records.Count][];
        var frequencies = new double[records.Count];
        try
        {
            Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = cancellation }, i =>
            {
                var record = source.Load(records[i]);
                if (!record.Annotations.Any(a => a.IsBeat))
                    throw new InvalidOperationException($"record {records[i]} has no reference beat annotations to score detections against");
                var comparison = BeatDetectionEvaluation.DetectAndCompare(record, options);
                var alignment = AlignmentSummary.Of(comparison.MatchOffsets, record.Header.SamplingFrequency);
                results[i] = RecordResult.From(records[i], comparison.Counts, alignment);
                offsets[i] = [.. comparison.MatchOffsets];
                frequencies[i] = record.Header.SamplingFrequency;
            });
        }
        catch (AggregateException e)
        {
            // Records run in parallel: report the first failure itself (it names the record), not the aggregate.
            ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var gross = BeatDetectionCounts.Sum(results.Select(r => r.Counts));
        // Offsets in samples pool across records only when they share a sampling frequency (MIT-BIH: 360 Hz).
        var grossAlignment = frequencies.Distinct().Count() == 1
            ? AlignmentSummary.Of(offsets.SelectMany(o => o), frequencies[0])
            : AlignmentSummary.Of([], 1);
        return new QrsReport(source.Dataset, options.StartSeconds, options.MatchWindowSeconds, results, RecordResult.From("gross", gross, grossAlignment),
            Math.Round(seconds, 3), Math.Round(records.Count / seconds, 2));
    }
}

/// <summary>What <c>ecg qrs --json</c> prints.</summary>
internal sealed record QrsReport(
    string Dataset, double StartSeconds, double MatchWindowSeconds, IReadOnlyList<RecordResult> Records, RecordResult Gross,
    double ElapsedSeconds, double RecordsPerSecond);

/// <summary>One record's scores (or the gross ones); ratios are null when undefined (no beats, no detections).</summary>
internal sealed record RecordResult(
    string Record, long ReferenceBeats, long TruePositives, long FalseNegatives, long FalsePositives, long IgnoredInFlutter,
    double? Sensitivity, double? PositivePredictivity, double? MedianAbsoluteOffsetMs, double? Percentile95AbsoluteOffsetMs)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public BeatDetectionCounts Counts => new(TruePositives, FalseNegatives, FalsePositives, IgnoredInFlutter);

    public static RecordResult From(string record, BeatDetectionCounts c, AlignmentSummary alignment) =>
        new(record, c.ReferenceBeats, c.TruePositives, c.FalseNegatives, c.FalsePositives, c.IgnoredInFlutter,
            Defined(c.Sensitivity), Defined(c.PositivePredictivity),
            Defined(alignment.MedianAbsoluteMs), Defined(alignment.Percentile95AbsoluteMs));

    private static double? Defined(double value) => double.IsNaN(value) ? null : Math.Round(value, 6);
}
