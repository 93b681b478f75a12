using System.Text.Json;
using EcgOrleans.Client.Checkpoints;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Evaluation;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

internal sealed class EvaluateCommand : Command<EvaluateSettings>
{
    public override int Execute(CommandContext context, EvaluateSettings settings, CancellationToken cancellation)
    {
        ResultTables.WidenWhenRedirected();
        SplitProtocol protocol;
        try
        {
            protocol = Protocols.Parse(settings.Split);
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
        if (MitBihData.Problem(settings.Data, Protocols.Records(protocol)) is { } problem) return MitBihData.Report(problem);

        if (CheckpointFile.LoadOrReport(settings.Checkpoint!) is not { } loaded) return 1;
        using var model = loaded.Model;
        var metadata = loaded.Metadata;
        var representation = BeatRepresentation.Parse(metadata.Representation);
        var beats = MitBihBeats.Load(settings.Data!, Protocols.Records(protocol), representation, metadata.RhythmFeatureCount);
        var split = Protocols.Split(protocol, beats, metadata.Protocol == "inter" && metadata.ValidationRecords.Count > 0 ? metadata.ValidationRecords : null);
        var test = split.Test;
        if (settings.Records is not null)
        {
            var wanted = MitBihData.Parse(settings.Records);
            var absent = wanted.Where(r => !test.Records.Contains(r)).ToList();
            if (absent.Count > 0)
            {
                AnsiConsole.MarkupLine($"[red]record(s) {string.Join(", ", absent)} hold no test beats under the {Protocols.Name(protocol)}-patient split[/]");
                return 2;
            }
            test = test.OfRecords(wanted);
        }
        if (Leak(metadata, protocol) is { } warning) Console.Error.WriteLine("warning: " + warning);

        var result = Evaluator.Evaluate(model, test);
        if (settings.Json)
        {
            var report = new EvaluationReport(settings.Checkpoint!, metadata.Architecture, metadata.Representation, metadata.RhythmFeatureCount,
                metadata.Protocol, Protocols.Name(protocol), [.. test.Records.Distinct()], result);
            Console.Out.WriteLine(JsonSerializer.Serialize(report, Ml.Checkpoints.Checkpoint.JsonOptions));
            return 0;
        }
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{metadata.Architecture} ({metadata.Representation}, {metadata.RhythmFeatureCount} rhythm features, trained {metadata.Protocol}-patient, {Training(metadata)})"));
        if (model.HasDecisionBias)
            AnsiConsole.MarkupLine(Markup.Escape(
                $"decision: argmax(logits + {DecisionBiasCalibration.Format(model.DecisionBias)}) ({metadata.Training.GetValueOrDefault("calibrationRule", "decision bias")})"));
        AnsiConsole.Write(ResultTables.PerClass(result, $"{Protocols.Name(protocol)}-patient test"));
        AnsiConsole.Write(ResultTables.Confusion(result));
        return 0;
    }

    /// <summary>"epoch 3/11, seed 1", or for an ensemble its members' epochs and seeds.</summary>
    private static string Training(CheckpointMetadata m) => m.Ensemble.Count == 0
        ? $"epoch {m.SelectedEpoch}/{m.EpochsRun}, seed {m.Seed}"
        : $"ensemble of {m.Ensemble.Count}: epochs {string.Join(", ", m.Ensemble.Select(e => $"{e.SelectedEpoch}/{e.EpochsRun}"))}, seeds {string.Join(", ", m.Ensemble.Select(e => e.Seed))}";

    /// <summary>Test beats the model was trained on make a figure meaningless: say so.</summary>
    private static string? Leak(CheckpointMetadata metadata, SplitProtocol protocol) => (metadata.Protocol, protocol) switch
    {
        ("inter", SplitProtocol.Intra) => "the model was trained on DS1 records: the intra-patient test beats of DS1 were seen in training",
        ("intra", SplitProtocol.Inter) => "the model was trained on 72 % of the DS2 beats (intra-patient): DS2 is not unseen data for it",
        _ => null,
    };

    private sealed record EvaluationReport(
        string Checkpoint, string Architecture, string Representation, int RhythmFeatures, string TrainedOn, string Split,
        IReadOnlyList<string> Records, EvaluationResult Result);
}
