using System.Globalization;
using System.Text.Json;
using EcgOrleans.Client.Checkpoints;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Evaluation;
using EcgOrleans.Client.Options;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>
/// <c>ecg evaluate</c>: a checkpoint scored on annotated WFDB records, any database at any sampling rate (beats are cut
/// at the model's representation, which resamples): AAMI EC57 figures per class, gross and per record, and the
/// confusion matrix. The MIT-BIH protocols and record sets remain as named shortcuts.
/// </summary>
internal sealed class EvaluateCommand : Command<EvaluateSettings>
{
    public override int Execute(CommandContext context, EvaluateSettings settings, CancellationToken cancellation)
    {
        ResultTables.WidenWhenRedirected();
        if (ProtocolOption.Deprecation(settings.Split) is { } deprecated) Console.Error.WriteLine(deprecated);
        var data = settings.Data!;
        if (!Directory.Exists(data)) throw new DirectoryNotFoundException($"data folder {data} does not exist");
        var choice = EvaluationChoice.Of(data, settings.ProtocolName, settings.RecordSet, settings.Records);
        if (choice.Protocol is not null && MitBihData.Problem(data, choice.RecordsToRead!) is { } problem) return MitBihData.Report(problem);

        if (CheckpointFile.LoadOrReport(settings.Checkpoint!) is not { } loaded) return 1;
        using var model = loaded.Model;
        var metadata = loaded.Metadata;
        var source = new WfdbDirectorySource(data, choice.RecordsToRead);
        var refusals = new RecordRefusals(settings.KeepGoing);
        EvaluationBeats beats;
        try
        {
            beats = EvaluationBeats.Load(source, choice, metadata, refusals, cancellation);
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
        var records = beats.Beats.Records.Distinct().ToList();
        foreach (var leak in EvaluationReport.Leaks(metadata, choice, records)) Console.Error.WriteLine("warning: " + leak);

        var evaluation = RecordEvaluation.Of(model, beats.Beats);
        if (settings.Json)
        {
            var report = new EvaluationReport(settings.Checkpoint!, metadata.Architecture, metadata.Representation, metadata.RhythmFeatureCount,
                metadata.Protocol, choice.Name, records, evaluation.Gross, source.Directory, beats.Frequencies, evaluation.ByRecord, refusals.Refused);
            Console.Out.WriteLine(JsonSerializer.Serialize(report, Ml.Checkpoints.Checkpoint.JsonOptions));
            return refusals.Report(source.Records.Count, json: true);
        }
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{metadata.Architecture} ({metadata.Representation}, {metadata.RhythmFeatureCount} rhythm features, trained {metadata.Protocol}-patient, {EvaluationReport.Training(metadata)})"));
        if (model.HasDecisionBias)
            AnsiConsole.MarkupLine(Markup.Escape(
                $"decision: argmax(logits + {DecisionBiasCalibration.Format(model.DecisionBias)}) ({metadata.Training.GetValueOrDefault("calibrationRule", "decision bias")})"));
        AnsiConsole.MarkupLine(Markup.Escape(Scored(beats, records.Count, source, metadata.Representation)));
        var title = choice.Protocol is { } protocol ? $"{Protocols.Name(protocol)}-patient test" : $"{choice.Name} records of {source.Dataset}";
        AnsiConsole.Write(ResultTables.PerClass(evaluation.Gross, title));
        AnsiConsole.Write(ResultTables.Confusion(evaluation.Gross));
        AnsiConsole.Write(ResultTables.ByRecord(evaluation.ByRecord));
        return refusals.Report(source.Records.Count);
    }

    /// <summary>"49,712 beats of 22 records in /data/mitdb at 360 Hz, cut as the model's window beats (360 Hz)".</summary>
    private static string Scored(EvaluationBeats beats, int records, WfdbDirectorySource source, string representation)
    {
        var rates = string.Join(", ", beats.Frequencies.Select(f => f.ToString("0.###", CultureInfo.InvariantCulture)));
        var model = BeatRepresentation.Parse(representation);
        return string.Create(CultureInfo.InvariantCulture,
            $"{beats.Beats.Count:#,0} beats of {records} records in {source.Directory} at {rates} Hz, cut as the model's {model.Name} beats ({model.SamplingFrequency:0.###} Hz)");
    }
}
