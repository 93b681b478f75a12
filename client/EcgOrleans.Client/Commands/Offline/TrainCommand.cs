using System.Diagnostics;
using EcgOrleans.Client.Checkpoints;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Evaluation;
using EcgOrleans.Client.Options;
using EcgOrleans.Client.Training;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary><c>ecg train</c>: trains a beat classifier on MIT-BIH (<see cref="TrainingRun"/>) and writes its checkpoint.</summary>
internal sealed class TrainCommand : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellation)
    {
        ResultTables.WidenWhenRedirected();
        if (ProtocolOption.Deprecation(settings.Split) is { } warning) Console.Error.WriteLine(warning);
        TrainingPlan plan;
        try
        {
            plan = settings.ToPlan(CheckpointFile.CommandLine());
            plan.Validate();
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
        if (MitBihData.Problem(settings.Data, Protocols.Records(plan.Protocol)) is { } problem) return MitBihData.Report(problem);

        var clock = Stopwatch.StartNew();
        TrainingRun run;
        try
        {
            run = TrainingRun.Load(settings.Data!, plan);
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
        var (split, representation) = (run.Split, plan.Representation);
        AnsiConsole.MarkupLine(
            $"{plan.Architecture} on {representation.Name} beats ({representation.Length} samples, {split.Training.RhythmCount} rhythm features), {Protocols.Name(plan.Protocol)}-patient: " +
            $"{split.Training.Count} training, {split.Validation.Count} validation, {split.Test.Count} test beats (loaded in {clock.Elapsed.TotalSeconds:F1} s)");
        if (plan.Protocol == SplitProtocol.Inter)
            AnsiConsole.MarkupLine($"validation records (held out of DS1): {string.Join(" ", split.ValidationRecords)}");
        AnsiConsole.MarkupLine($"training class counts: {TrainingDisplay.Counts(split.Training)}; validation: {TrainingDisplay.Counts(split.Validation)}");

        var outcome = TrainingDisplay.Run(run, settings.Out!, cancellation);
        AnsiConsole.MarkupLine($"trained {outcome.EpochsRun} epochs in {outcome.Elapsed.TotalMinutes:F1} min; kept epoch {outcome.SelectedEpoch}");
        var test = $"test ({Protocols.Name(plan.Protocol)}-patient)";
        if (outcome.Calibration is not { } calibration)
        {
            AnsiConsole.Write(ResultTables.PerClass(outcome.Validation, $"validation (epoch {outcome.SelectedEpoch})"));
            AnsiConsole.Write(ResultTables.PerClass(outcome.Test, test));
        }
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape(calibration.Describe()));
            AnsiConsole.Write(ResultTables.BeforeAfter(calibration.ValidationBefore, calibration.ValidationAfter, $"validation (epoch {outcome.SelectedEpoch}), before → after calibration"));
            AnsiConsole.Write(ResultTables.BeforeAfter(calibration.TestBefore, calibration.TestAfter, $"{test}, before → after calibration"));
        }
        AnsiConsole.Write(ResultTables.Confusion(outcome.Metadata.Test!));
        AnsiConsole.MarkupLine($"checkpoint written: {Markup.Escape(settings.Out!)} ({new FileInfo(settings.Out!).Length / 1024.0:F0} KB)");
        return 0;
    }
}
