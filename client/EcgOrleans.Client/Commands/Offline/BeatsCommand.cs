using System.Text.Json;
using EcgOrleans.Client.Data;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary><c>ecg beats</c>: beat counts per AAMI class, per record and in total.</summary>
internal sealed class BeatsCommand : Command<BeatsSettings>
{
    public override int Execute(CommandContext context, BeatsSettings settings, CancellationToken cancellation)
    {
        var source = settings.OpenSource("beats");
        if (source is null) return 2;

        var refusals = new RecordRefusals(settings.KeepGoing);
        var rows = new List<(string Record, int[] Counts)>();
        foreach (var name in source.Records)
        {
            cancellation.ThrowIfCancellationRequested();
            if (refusals.Try(name, () => Count(source.Load(name).Annotations)) is { } counts) rows.Add((name, counts));
        }
        var totals = Enumerable.Range(0, Aami.ClassCount).Select(c => rows.Sum(r => r.Counts[c])).ToArray();

        if (settings.Json)
        {
            var json = new
            {
                dataset = source.Dataset,
                records = rows.Select(r => new { record = r.Record, counts = ByClass(r.Counts), total = r.Counts.Sum() }),
                total = new { counts = ByClass(totals), total = totals.Sum() },
                refused = refusals.Refused,
            };
            Console.WriteLine(JsonSerializer.Serialize(json, JsonOutput.Options));
            return refusals.Report(source.Records.Count, json: true);
        }

        var table = new Table().Title($"AAMI beats in {source.Dataset}").AddColumn("record");
        foreach (var c in Aami.Classes) table.AddColumn(new TableColumn(c.ToString()).RightAligned());
        table.AddColumn(new TableColumn("total").RightAligned());
        foreach (var (record, counts) in rows)
            table.AddRow([record, .. counts.Select(n => n.ToString("N0")), counts.Sum().ToString("N0")]);
        table.AddRow(["[bold]total[/]", .. totals.Select(n => $"[bold]{n:N0}[/]"), $"[bold]{totals.Sum():N0}[/]"]);
        AnsiConsole.Write(table);
        return refusals.Report(source.Records.Count);
    }

    private static int[] Count(IEnumerable<Signal.Wfdb.Annotation> annotations)
    {
        var counts = new int[Aami.ClassCount];
        foreach (var mark in RecordBeats.Marks(annotations)) counts[(int)mark.Reference!.Value]++;
        return counts;
    }

    private static Dictionary<string, int> ByClass(int[] counts) =>
        Aami.Classes.ToDictionary(c => c.ToString(), c => counts[(int)c]);
}
