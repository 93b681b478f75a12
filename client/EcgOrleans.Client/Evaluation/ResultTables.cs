using System.Globalization;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Signal.Beats;
using Spectre.Console;

namespace EcgOrleans.Client.Evaluation;

/// <summary>Spectre tables of evaluation results: per-class figures and the confusion matrix.</summary>
internal static class ResultTables
{
    /// <summary>Redirected output (a log file) gets no terminal width: keep epoch lines and tables unwrapped.</summary>
    public static void WidenWhenRedirected()
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 200);
    }

    public static string Percent(double? value) => value is { } v ? (100 * v).ToString("F1", CultureInfo.InvariantCulture) : "–";

    public static Table PerClass(EvaluationResult result, string title)
    {
        var table = new Table().Title(Markup.Escape(title)).Border(TableBorder.Rounded);
        table.AddColumns("class", "beats", "Se %", "+P %", "F1 %", "Spec %", "FPR %");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var m in result.Classes)
        {
            table.AddRow(m.Class.ToString(), m.Support.ToString(CultureInfo.InvariantCulture), Percent(m.Sensitivity), Percent(m.PositivePredictivity),
                Percent(m.F1), Percent(m.Specificity), Percent(m.FalsePositiveRate));
        }
        table.Caption($"accuracy {Percent(result.Accuracy)} %  ·  macro-F1 {Percent(result.MacroF1)} %  ·  {result.Beats} beats");
        return table;
    }

    /// <summary>Per-class figures of the same beats under two decision rules, "before → after".</summary>
    public static Table BeforeAfter(EvaluationResult before, EvaluationResult after, string title)
    {
        if (before.Beats != after.Beats) throw new ArgumentException($"{before.Beats} beats before, {after.Beats} after: not the same beats");
        var table = new Table().Title(Markup.Escape($"{title} ({after.Beats} beats)")).Border(TableBorder.Rounded);
        table.AddColumns("class", "beats", "Se %", "+P %", "F1 %");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var c in Aami.Classes)
        {
            var (b, a) = (before[c], after[c]);
            table.AddRow(c.ToString(), a.Support.ToString(CultureInfo.InvariantCulture),
                Change(b.Sensitivity, a.Sensitivity), Change(b.PositivePredictivity, a.PositivePredictivity), Change(b.F1, a.F1));
        }
        table.Caption($"accuracy {Change(before.Accuracy, after.Accuracy)} %  ·  macro-F1 {Change(before.MacroF1, after.MacroF1)} %");
        return table;

        static string Change(double? from, double? to) => $"{Percent(from)} → {Percent(to)}";
    }

    public static Table Confusion(EvaluationResult result)
    {
        var table = new Table().Title("confusion (rows: reference, columns: predicted)").Border(TableBorder.Rounded);
        table.AddColumn("ref \\ pred");
        foreach (var c in Aami.Classes) table.AddColumn(new TableColumn(c.ToString()).RightAligned());
        for (var r = 0; r < Aami.ClassCount; r++)
            table.AddRow([Aami.Classes[r].ToString(), .. result.ConfusionRows[r].Select(n => n.ToString(CultureInfo.InvariantCulture))]);
        return table;
    }

    /// <summary>Each record's beats, Se / +P of every class it holds or was predicted, and accuracy.</summary>
    public static Table ByRecord(IReadOnlyDictionary<string, EvaluationResult> results)
    {
        var table = new Table().Title("per record (Se / +P %)").Border(TableBorder.Rounded);
        table.AddColumns("record", "beats");
        foreach (var c in Aami.Classes) table.AddColumn(c.ToString());
        table.AddColumn("acc %");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var (record, r) in results)
        {
            table.AddRow([Markup.Escape(record), r.Beats.ToString(CultureInfo.InvariantCulture),
                .. Aami.Classes.Select(c => r[c] is { Support: 0, Predicted: 0 } ? "" : $"{Percent(r[c].Sensitivity)} / {Percent(r[c].PositivePredictivity)}"),
                Percent(r.Accuracy)]);
        }
        return table;
    }
}
