using System.Globalization;
using System.Text.Json;
using EcgOrleans.Client.Checkpoints;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Evaluation;
using EcgOrleans.Client.Faithfulness;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>
/// <c>ecg faithfulness</c>: which saliency method to trust. Waveform-only deletion and insertion curves against random
/// order, per method and AAMI class, the P/QRS/T shares of the maps, and the model-randomisation sanity check, for one or
/// more checkpoints side by side on a fixed, seeded, stratified sample of MIT-BIH beats.
/// </summary>
internal sealed class FaithfulnessCommand : Command<FaithfulnessSettings>
{
    public override int Execute(CommandContext context, FaithfulnessSettings settings, CancellationToken cancellation)
    {
        ResultTables.WidenWhenRedirected();
        var data = settings.Data!;
        var records = DatasetSplits.Named(settings.Split);
        if (MitBihData.Problem(data, records) is { } problem) return MitBihData.Report(problem);
        TorchThreads.Configure(settings.Threads);
        var kinds = settings.MethodKinds;
        var target = settings.TargetKind;

        var models = new List<ModelFaithfulness>();
        var beatsByCut = new Dictionary<(string, int), BeatSet>();
        foreach (var path in settings.Checkpoints)
        {
            cancellation.ThrowIfCancellationRequested();
            if (CheckpointFile.LoadOrReport(path) is not { } loaded) return 1;
            using var model = loaded.Model;
            var cut = (loaded.Metadata.Representation, loaded.Metadata.RhythmFeatureCount);
            if (!beatsByCut.TryGetValue(cut, out var beats))
            {
                beats = MitBihBeats.Load(data, records, BeatRepresentation.Parse(cut.Representation), cut.RhythmFeatureCount);
                beatsByCut[cut] = beats;
            }
            models.Add(FaithfulnessRun.Of(path, loaded, beats, kinds, target, settings.PerClass, settings.SanityPerClass, settings.Steps, settings.Seed,
                line => Console.Error.WriteLine(line)));
        }

        var report = new FaithfulnessReport(CheckpointFile.CommandLine(), DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            CpuName(), settings.Threads, data, settings.Split, settings.PerClass, settings.Seed, target.Name,
            FaithfulnessDefinitions.Of(settings.Steps, target.Name), models);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, Ml.Checkpoints.Checkpoint.JsonOptions));
            return 0;
        }
        AnsiConsole.MarkupLine(Markup.Escape($"{report.Date}, {report.Cpu ?? "CPU unknown"}, {report.Threads} thread(s); {settings.Split} beats, "
            + $"at most {settings.PerClass} per class, seed {settings.Seed}; target: {target.Name} class; {settings.Steps} steps; features at training means"));
        AnsiConsole.Write(CurveTable(models));
        foreach (var m in models.Where(m => m.Sanity is not null)) AnsiConsole.Write(SanityTable(m));
        return 0;
    }

    private static Table CurveTable(IReadOnlyList<ModelFaithfulness> models)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title("waveform-only faithfulness: area under the target probability, saliency order / random order (deletion: lower is better; insertion: higher)");
        table.AddColumns("method", "class");
        foreach (var m in models)
        {
            var name = Path.GetFileNameWithoutExtension(m.Checkpoint);
            table.AddColumns($"{name}\nbeats", "p full / empty", "deletion", "insertion", "P / QRS / T %");
        }
        foreach (var group in models[0].Rows.GroupBy(r => r.Method))
        {
            foreach (var row in group)
            {
                var cells = new List<string> { row.Method, row.Class };
                foreach (var m in models)
                {
                    var r = m.Rows.First(x => x.Method == row.Method && x.Class == row.Class);
                    if (r.Deletion is null)
                    {
                        cells.AddRange(["0", "[grey]no beats[/]", "", "", ""]);
                        continue;
                    }
                    cells.Add(r.Beats.ToString(CultureInfo.InvariantCulture));
                    cells.Add(string.Create(CultureInfo.InvariantCulture, $"{r.FullProbability:F3} / {r.EmptyProbability:F3}"));
                    cells.Add(Markup.Escape(Pair(r.Deletion)));
                    cells.Add(Markup.Escape(Pair(r.Insertion!)));
                    cells.Add(Markup.Escape(string.Join(" / ", r.Waves!.Select(w => ResultTables.Percent(w.Share)))));
                }
                table.AddRow(cells.ToArray());
            }
        }
        return table;
    }

    private static string Pair(CurvePair p) => string.Create(CultureInfo.InvariantCulture, $"{p.SaliencyArea:F3} / {p.RandomArea:F3}");

    private static Table SanityTable(ModelFaithfulness m)
    {
        var sanity = m.Sanity!;
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(
            $"{Path.GetFileNameWithoutExtension(m.Checkpoint)}: model randomisation, layers re-initialised from the output down to ..., mean Spearman ρ of |map| ({sanity.Beats} beats)"));
        var methods = sanity.Steps[0].MeanSpearman.Keys.ToList();
        table.AddColumn("down to");
        foreach (var method in methods) table.AddColumn(method);
        foreach (var step in sanity.Steps)
            table.AddRow([step.Layer, .. methods.Select(k => step.MeanSpearman[k] is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "–")]);
        return table;
    }

    /// <summary>The CPU's model name from /proc/cpuinfo (what the figures' timing depends on), or null elsewhere.</summary>
    private static string? CpuName()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
