using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using EcgOrleans.Client.Data;
using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Sources;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands;

/// <summary>
/// <c>ecg qrs</c>: runs the QRS detector over records' primary lead and scores it beat by beat against their
/// reference annotations as bxb does (ANSI/AAMI EC57): Se and +P per record and gross.
/// </summary>
internal sealed class QrsCommand : Command<QrsCommand.Settings>
{
    internal const string NoDataHelp =
        "[yellow]No data given.[/] Point [bold]--data[/] at a folder of WFDB records with reference annotations, for example the MIT-BIH Arrhythmia Database:\n" +
        DataSettings.MitBihDownload +
        "  ecg qrs --data physionet.org/files/mitdb/1.0.0\n" +
        "or score the detector on the bundled synthetic records: [bold]ecg qrs --synthetic[/]";

    internal sealed class Settings : DataSettings
    {
        [CommandOption("--start <SECONDS>")]
        [Description("Start of the scored period; the time before it is the learning period (default 300, as bxb).")]
        public double Start { get; init; } = BeatComparisonOptions.Standard.StartSeconds;

        /// <summary>Synthetic records long enough to score 5 minutes after the learning period.</summary>
        protected override double DefaultSyntheticSeconds => Start + 300;

        public override ValidationResult Validate()
        {
            if (!(Start >= 0) || double.IsInfinity(Start))
                return ValidationResult.Error($"--start must be a non-negative number of seconds, not {Start.ToString(CultureInfo.InvariantCulture)}");
            if (UsesSynthetic && SyntheticSeconds <= Start)
                return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture,
                    $"synthetic records of {SyntheticSeconds} s end before the scored period starts (--start {Start}): give a longer --seconds or a smaller --start"));
            return base.Validate();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        if (!settings.HasData)
        {
            AnsiConsole.MarkupLine(NoDataHelp);
            return 2;
        }

        var source = settings.Open();
        var options = BeatComparisonOptions.Standard with { StartSeconds = settings.Start };
        var report = Evaluate(source, options, cancellation);
        if (settings.Json) Console.WriteLine(JsonSerializer.Serialize(report, JsonOutput.Options));
        else PrintTable(report);
        return 0;
    }

    /// <summary>Detects and scores every record of the source, in parallel; the report keeps the source's order.</summary>
    internal static QrsReport Evaluate(IRecordSource source, BeatComparisonOptions options, CancellationToken cancellation)
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

    private static void PrintTable(QrsReport report)
    {
        var table = new Table()
            .Title($"QRS detection in {report.Dataset} (bxb rules: ±{report.MatchWindowSeconds * 1000:0} ms, scored from {report.StartSeconds:0} s)")
            .Caption("VF: detections in ventricular flutter, not counted. Δ: |detection − reference| in ms, median and 95th percentile.");
        table.AddColumns("Record", "Beats", "TP", "FN", "FP", "Se %", "+P %", "VF", "Δ med", "Δ p95");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var r in report.Records) table.AddRow(Row(r));
        table.AddEmptyRow();
        table.AddRow(Row(report.Gross).Select(cell => $"[bold]{cell}[/]").ToArray());
        AnsiConsole.Write(table);

        var worst = report.Records.Where(r => r.FalseNegatives + r.FalsePositives > 0)
            .OrderByDescending(r => r.FalseNegatives + r.FalsePositives).Take(5)
            .Select(r => $"{r.Record} (FN {r.FalseNegatives}, FP {r.FalsePositives})");
        AnsiConsole.WriteLine($"Worst records: {string.Join(", ", worst.DefaultIfEmpty("none"))}");
        AnsiConsole.WriteLine($"{report.Records.Count} records in {report.ElapsedSeconds:0.00} s ({report.RecordsPerSecond:0.0} records/s)");
    }

    private static string[] Row(RecordResult r) =>
    [
        r.Record, Count(r.ReferenceBeats), Count(r.TruePositives), Count(r.FalseNegatives), Count(r.FalsePositives),
        Percent(r.Sensitivity), Percent(r.PositivePredictivity), Count(r.IgnoredInFlutter),
        Number(r.MedianAbsoluteOffsetMs), Number(r.Percentile95AbsoluteOffsetMs),
    ];

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture); // no separators: the table fits 80 columns

    private static string Percent(double? value) => value is { } v ? (100 * v).ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Number(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";

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
}
