using System.Globalization;
using Spectre.Console;

namespace EcgOrleans.Client.Qrs;

/// <summary>A QRS report as a terminal table: a row per record, the gross row, and the worst records.</summary>
internal static class QrsTable
{
    public static void Print(QrsReport report)
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
}
