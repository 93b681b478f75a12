using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Wfdb;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands;

/// <summary>
/// <c>ecg qrs</c>: runs the QRS detector over records' primary lead and scores it beat by beat against their
/// reference annotations as bxb does (ANSI/AAMI EC57): Se and +P per record and gross.
/// </summary>
internal sealed class QrsCommand : Command<QrsCommand.Settings>
{
    internal const string MitBihHelp =
        "Download the MIT-BIH Arrhythmia Database (48 records, about 100 MB) from https://physionet.org/content/mitdb/1.0.0/, " +
        "e.g. wget -r -N -c -np https://physionet.org/files/mitdb/1.0.0/ , then pass its folder: ecg qrs --data physionet.org/files/mitdb/1.0.0";

    internal const string SyntheticUnavailable =
        "The --synthetic option (the bundled ECG generator) is not available in this build.";

    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--data <DIR>")]
        [Description("Folder holding the WFDB records (.hea, .dat, .atr), e.g. MIT-BIH.")]
        public string? Data { get; init; }

        [CommandOption("--records <LIST>")]
        [Description("Comma-separated record names, e.g. 100,101,203. Default: the records of --split.")]
        public string? Records { get; init; }

        [CommandOption("--split <SPLIT>")]
        [Description("ds1, ds2, paced or all (default).")]
        public string? Split { get; init; }

        [CommandOption("--start <SECONDS>")]
        [Description("Start of the scored period; the time before it is the learning period (default 300, as bxb).")]
        public double Start { get; init; } = BeatComparisonOptions.Standard.StartSeconds;

        [CommandOption("--json")]
        [Description("Print machine-readable JSON instead of a table.")]
        public bool Json { get; init; }

        [CommandOption("--synthetic")]
        [Description("Use the bundled synthetic ECG generator instead of --data.")]
        public bool Synthetic { get; init; }

        public override ValidationResult Validate()
        {
            if (Records is not null && Split is not null)
                return ValidationResult.Error("give either --records or --split, not both");
            if (!(Start >= 0) || double.IsInfinity(Start))
                return ValidationResult.Error($"--start must be a non-negative number of seconds, not {Start.ToString(CultureInfo.InvariantCulture)}");
            if (Split is not null && Split.ToLowerInvariant() is not ("ds1" or "ds2" or "paced" or "all"))
                return ValidationResult.Error($"unknown --split '{Split}': use ds1, ds2, paced or all");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        if (settings.Synthetic)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(SyntheticUnavailable)}[/]");
            return 2;
        }
        if (settings.Data is null)
        {
            AnsiConsole.MarkupLine("[red]--data is required: the folder of a WFDB database with reference annotations.[/]");
            AnsiConsole.WriteLine(MitBihHelp);
            AnsiConsole.WriteLine(SyntheticUnavailable);
            return 2;
        }

        var records = RecordNames(settings);
        var options = BeatComparisonOptions.Standard with { StartSeconds = settings.Start };
        QrsReport report;
        try
        {
            report = Evaluate(settings.Data, records, options, cancellation);
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.OfType<WfdbFormatException>().FirstOrDefault() is { } bad)
        {
            // Records run in parallel: report the first bad one plainly rather than the aggregate.
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(bad.Message)}[/]");
            if (!File.Exists(Path.Combine(settings.Data, "100.hea"))) AnsiConsole.WriteLine(MitBihHelp);
            return 1;
        }

        if (settings.Json) Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
        else PrintTable(report);
        return 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    private static IReadOnlyList<string> RecordNames(Settings settings) =>
        settings.Records is { } list
            ? [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : DatasetSplits.Named(settings.Split ?? "all");

    /// <summary>Detects and scores every record, in parallel; the report keeps the order of <paramref name="records"/>.</summary>
    internal static QrsReport Evaluate(string directory, IReadOnlyList<string> records, BeatComparisonOptions options, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var results = new RecordResult[records.Count];
        var offsets = new long[records.Count][];
        var frequencies = new double[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = cancellation }, i =>
        {
            var record = WfdbRecord.Read(directory, records[i]);
            var comparison = BeatDetectionEvaluation.DetectAndCompare(record, options);
            var alignment = AlignmentSummary.Of(comparison.MatchOffsets, record.Header.SamplingFrequency);
            results[i] = RecordResult.From(records[i], comparison.Counts, alignment);
            offsets[i] = [.. comparison.MatchOffsets];
            frequencies[i] = record.Header.SamplingFrequency;
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var gross = BeatDetectionCounts.Sum(results.Select(r => r.Counts));
        // Offsets in samples pool across records only when they share a sampling frequency (MIT-BIH: 360 Hz).
        var grossAlignment = frequencies.Distinct().Count() == 1
            ? AlignmentSummary.Of(offsets.SelectMany(o => o), frequencies[0])
            : AlignmentSummary.Of([], 1);
        return new QrsReport(options.StartSeconds, options.MatchWindowSeconds, results, RecordResult.From("gross", gross, grossAlignment),
            Math.Round(seconds, 3), Math.Round(records.Count / seconds, 2));
    }

    private static void PrintTable(QrsReport report)
    {
        var table = new Table()
            .Title($"QRS detection vs reference beats (bxb rules: ±{report.MatchWindowSeconds * 1000:0} ms, scored from {report.StartSeconds:0} s)")
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

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double? value) => value is { } v ? (100 * v).ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Number(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    /// <summary>What <c>ecg qrs --json</c> prints.</summary>
    internal sealed record QrsReport(
        double StartSeconds, double MatchWindowSeconds, IReadOnlyList<RecordResult> Records, RecordResult Gross,
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
