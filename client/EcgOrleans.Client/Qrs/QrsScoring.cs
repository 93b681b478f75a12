using System.Diagnostics;
using EcgOrleans.Client.Data;
using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Sources;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Client.Qrs;

/// <summary>The QRS detector run over records' primary lead and scored against their reference annotations, as bxb does.</summary>
internal static class QrsScoring
{
    /// <summary>
    /// Detects and scores every record of the source, several at once; the report keeps the source's order. A record
    /// without reference beats, or one that cannot be read, is refused (<paramref name="refusals"/>).
    /// </summary>
    public static QrsReport Evaluate(IRecordSource source, BeatComparisonOptions options, RecordRefusals refusals, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var scored = refusals.ForEach(source.Records, name => Score(source.Load(name), name, options), cancellation)
            .OfType<Scored>().ToList();
        var seconds = clock.Elapsed.TotalSeconds;
        var gross = BeatDetectionCounts.Sum(scored.Select(r => r.Result.Counts));
        // Offsets in samples pool across records only when they share a sampling frequency (MIT-BIH: 360 Hz).
        var frequencies = scored.Select(r => r.Frequency).Distinct().ToList();
        var grossAlignment = frequencies.Count == 1
            ? AlignmentSummary.Of(scored.SelectMany(r => r.Offsets), frequencies[0])
            : AlignmentSummary.Of([], 1);
        return new QrsReport(source.Dataset, options.StartSeconds, options.MatchWindowSeconds, [.. scored.Select(r => r.Result)],
            RecordResult.From("gross", gross, grossAlignment), Math.Round(seconds, 3), Math.Round(source.Records.Count / seconds, 2), refusals.Refused);
    }

    private static Scored Score(WfdbRecord record, string name, BeatComparisonOptions options)
    {
        if (!record.Annotations.Any(a => a.IsBeat))
        {
            var file = record.AnnotationFile?.File ?? $"{name}.atr";
            var reason = record.AnnotationFile is null ? "not found: no reference beats to score detections against" : "holds no beat annotations to score detections against";
            throw new RecordRefusedException(new RefusedRecord(name, file, reason));
        }
        var comparison = BeatDetectionEvaluation.DetectAndCompare(record, options);
        var alignment = AlignmentSummary.Of(comparison.MatchOffsets, record.Header.SamplingFrequency);
        return new Scored(RecordResult.From(name, comparison.Counts, alignment), [.. comparison.MatchOffsets], record.Header.SamplingFrequency);
    }

    private sealed record Scored(RecordResult Result, long[] Offsets, double Frequency);
}

/// <summary>What <c>ecg qrs --json</c> prints.</summary>
internal sealed record QrsReport(
    string Dataset, double StartSeconds, double MatchWindowSeconds, IReadOnlyList<RecordResult> Records, RecordResult Gross,
    double ElapsedSeconds, double RecordsPerSecond, IReadOnlyList<RefusedRecord> Refused);

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
