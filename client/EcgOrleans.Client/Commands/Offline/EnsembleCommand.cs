using System.Globalization;
using EcgOrleans.Client.Checkpoints;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Evaluation;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>
/// <c>ecg ensemble</c>: combines checkpoints trained alike (different seeds) into one ensemble checkpoint (<see cref="Ensembles"/>), scores
/// it on the members' validation and test records and writes it with those figures and each member's.
/// </summary>
internal sealed class EnsembleCommand : Command<EnsembleSettings>
{
    public override int Execute(CommandContext context, EnsembleSettings settings, CancellationToken cancellation)
    {
        ResultTables.WidenWhenRedirected();
        var loaded = new List<(string, LoadedCheckpoint)>();
        BeatEnsemble model;
        CheckpointMetadata metadata;
        try
        {
            foreach (var path in settings.Members)
            {
                if (CheckpointFile.LoadOrReport(path) is not { } member) return 1;
                loaded.Add((path, member));
            }
            (model, metadata) = Ensembles.Combine(loaded);
            loaded.Clear(); // the ensemble owns the members now
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
        finally
        {
            foreach (var (_, member) in loaded) member.Model.Dispose();
        }
        using (model) return Score(settings, model, metadata);
    }

    private static int Score(EnsembleSettings settings, BeatEnsemble model, CheckpointMetadata metadata)
    {
        var protocol = Protocols.Parse(metadata.Protocol);
        if (MitBihData.Problem(settings.Data, Protocols.Records(protocol)) is { } problem) return MitBihData.Report(problem);
        var split = CheckpointFile.OwnSplit(settings.Data!, metadata, protocol);
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{Checkpoint.Describe(metadata)} ({metadata.Representation}, trained {metadata.Protocol}-patient): scoring {split.Validation.Count} validation and {split.Test.Count} test beats"));

        var validation = Evaluator.Evaluate(model, split.Validation);
        var predicted = Evaluator.Predict(model, split.Test);
        var test = Metrics.From(Evaluator.Confusion(split.Test.Labels, predicted));
        var command = CheckpointFile.CommandLine();
        var complete = metadata with
        {
            Validation = validation,
            Test = test,
            TestConfusionByRecord = protocol == SplitProtocol.Inter
                ? Evaluator.ConfusionByRecord(split.Test, predicted).ToDictionary(kv => kv.Key, kv => kv.Value.ToRows())
                : [],
            Training = new Dictionary<string, string>(metadata.Training) { ["ensembleCommand"] = command },
            Created = DateTimeOffset.UtcNow,
            ToolVersion = Checkpoint.ToolVersion,
        };
        Checkpoint.Save(settings.Out!, model, complete);

        AnsiConsole.Write(Members(complete));
        AnsiConsole.Write(ResultTables.PerClass(validation, "ensemble, validation"));
        AnsiConsole.Write(ResultTables.PerClass(test, $"ensemble, test ({Protocols.Name(protocol)}-patient)"));
        AnsiConsole.Write(ResultTables.Confusion(test));
        AnsiConsole.MarkupLine($"checkpoint written: {Markup.Escape(settings.Out!)} ({new FileInfo(settings.Out!).Length / 1024.0:F0} KB)");
        return 0;
    }

    /// <summary>Each member's V figures and accuracy beside the ensemble's: whether combining helped.</summary>
    internal static Table Members(CheckpointMetadata ensemble)
    {
        var table = new Table().Title("members and ensemble (V Se / +P, accuracy)")
            .AddColumns("model", "seed", "epoch", "validation", "test");
        foreach (var m in ensemble.Ensemble)
            table.AddRow(Markup.Escape(m.Source), m.Seed.ToString(CultureInfo.InvariantCulture), $"{m.SelectedEpoch}/{m.EpochsRun}",
                Summary(m.Validation), Summary(m.Test));
        table.AddRow("[bold]ensemble[/]", "", "", Summary(ensemble.Validation), Summary(ensemble.Test));
        return table;

        static string Summary(EvaluationResult? r) => r is null
            ? "–"
            : $"{ResultTables.Percent(r[AamiClass.V].Sensitivity)} / {ResultTables.Percent(r[AamiClass.V].PositivePredictivity)}, {ResultTables.Percent(r.Accuracy)} %";
    }
}
