using EcgOrleans.Client.Checkpoints;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Evaluation;
using EcgOrleans.Client.Options;
using EcgOrleans.Ml.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>
/// <c>ecg calibrate</c>: chooses a decision bias for one class on a checkpoint's validation beats (<see cref="Calibration"/>),
/// re-evaluates validation and test with it and writes a new checkpoint with the same weights.
/// </summary>
internal sealed class CalibrateCommand : Command<CalibrateSettings>
{
    public override int Execute(CommandContext context, CalibrateSettings settings, CancellationToken cancellation)
    {
        ResultTables.WidenWhenRedirected();
        var target = ClassOption.Parse(settings.Class)!.Value;
        if (CheckpointFile.LoadOrReport(settings.Checkpoint!) is not { } loaded) return 1;
        using var model = loaded.Model;
        var metadata = loaded.Metadata;
        if (Calibration.CannotCalibrate(metadata) is { } reason)
        {
            AnsiConsole.MarkupLine($"[red]checkpoint {Markup.Escape(settings.Checkpoint!)}: {Markup.Escape(reason)}[/]");
            return 2;
        }
        var protocol = Protocols.Parse(metadata.Protocol);
        if (MitBihData.Problem(settings.Data, Protocols.Records(protocol)) is { } problem) return MitBihData.Report(problem);

        var split = CheckpointFile.OwnSplit(settings.Data!, metadata, protocol);
        AnsiConsole.MarkupLine(Markup.Escape(
            $"{metadata.Architecture} ({metadata.Representation}, trained {metadata.Protocol}-patient): calibrating {target} on {split.Validation.Count} validation beats" +
            (protocol == SplitProtocol.Inter ? $" of records {string.Join(" ", split.ValidationRecords)}" : "") + $"; {split.Test.Count} test beats"));

        Calibration calibration;
        try
        {
            calibration = Calibration.Run(model, split, target, settings.Limit, settings.Step);
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
        var calibrated = calibration.Annotate(metadata, split, CheckpointFile.CommandLine(), settings.Limit, settings.Step);
        Ml.Checkpoints.Checkpoint.Save(settings.Out!, model, calibrated);

        AnsiConsole.MarkupLine(Markup.Escape(calibration.Describe()));
        AnsiConsole.Write(ResultTables.BeforeAfter(calibration.ValidationBefore, calibration.ValidationAfter, "validation, before → after"));
        AnsiConsole.Write(ResultTables.BeforeAfter(calibration.TestBefore, calibration.TestAfter, $"test ({Protocols.Name(protocol)}-patient), before → after"));
        AnsiConsole.Write(ResultTables.Confusion(calibration.TestAfter));
        AnsiConsole.MarkupLine($"checkpoint written: {Markup.Escape(settings.Out!)} ({new FileInfo(settings.Out!).Length / 1024.0:F0} KB)");
        return 0;
    }
}
