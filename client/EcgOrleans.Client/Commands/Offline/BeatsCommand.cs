using System.Text.Json;
using EcgOrleans.Client.Data;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary><c>ecg beats</c>: beat counts per AAMI class, per record and in total.</summary>
internal sealed class BeatsCommand : Command<DataSettings>
{
    public override int Execute(CommandContext context, DataSettings settings, CancellationToken cancellation)
    {
        var source = settings.OpenSource();
        if (source is null) return 2;

        var rows = new List<(string Record, int[] Counts)>();
        foreach (var name in source.Records)
        {
            cancellation.ThrowIfCancellationRequested();
            var counts = new int[Aami.ClassCount];
            foreach (var mark in RecordBeats.Marks(source.Load(name).Annotations)) counts[(int)mark.Reference!.Value]++;
            rows.Add((name, counts));
        }
        var totals = Enumerable.Range(0, Aami.ClassCount).Select(c => rows.Sum(r => r.Counts[c])).ToArray();

        if (settings.Json)
        {
            var json = new
            {
                dataset = source.Dataset,
                records = rows.Select(r => new { record = r.Record, counts = ByClass(r.Counts), total = r.Counts.Sum() }),
                total = new { counts = ByClass(totals), total = totals.Sum() },
            };
            Console.WriteLine(JsonSerializer.Serialize(json, JsonOutput.Options));
            return 0;
        }

        var table = new Table().Title($"AAMI beats in {source.Dataset}").AddColumn("record");
        foreach (var c in Aami.Classes) table.AddColumn(new TableColumn(c.ToString()).RightAligned());
        table.AddColumn(new TableColumn("total").RightAligned());
        foreach (var (record, counts) in rows)
            table.AddRow([record, .. counts.Select(n => n.ToString("N0")), counts.Sum().ToString("N0")]);
        table.AddRow(["[bold]total[/]", .. totals.Select(n => $"[bold]{n:N0}[/]"), $"[bold]{totals.Sum():N0}[/]"]);
        AnsiConsole.Write(table);
        return 0;
    }

    private static Dictionary<string, int> ByClass(int[] counts) =>
        Aami.Classes.ToDictionary(c => c.ToString(), c => counts[(int)c]);
}
