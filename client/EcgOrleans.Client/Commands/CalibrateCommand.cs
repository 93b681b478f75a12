using System.ComponentModel;
using System.Globalization;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands;

/// <summary>
/// Chooses a decision bias for one class on a checkpoint's validation beats (<see cref="DecisionBiasCalibration"/>),
/// re-evaluates validation and test with it and writes a new checkpoint with the same weights.
/// </summary>
internal sealed class CalibrateCommand : Command<CalibrateCommand.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--data <DIR>"), Description("Folder of the MIT-BIH Arrhythmia Database.")]
        public string? Data { get; init; }

        [CommandOption("--checkpoint <FILE>"), Description("Checkpoint to calibrate; it names its validation records.")]
        public string? Checkpoint { get; init; }

        [CommandOption("--out <FILE>"), Description("Calibrated checkpoint to write (may be --checkpoint itself).")]
        public string? Out { get; init; }

        [CommandOption("--class <CLASS>"), Description("AAMI class whose logit offset is chosen (N, S, V, F or Q).")]
        public string Class { get; init; } = "V";

        [CommandOption("--limit <L>"), Description("Offsets tried: -L..+L.")]
        public float Limit { get; init; } = DecisionBiasCalibration.DefaultLimit;

        [CommandOption("--step <D>"), Description("Grid step of the offsets tried.")]
        public float Step { get; init; } = DecisionBiasCalibration.DefaultStep;

        public override ValidationResult Validate()
        {
            if (Checkpoint is null) return ValidationResult.Error("--checkpoint FILE is required");
            if (Out is null) return ValidationResult.Error("--out FILE is required (where the calibrated checkpoint goes)");
            if (ParseClass(Class) is null) return ValidationResult.Error($"--class '{Class}' is not an AAMI class (N, S, V, F, Q)");
            if (!(Limit > 0) || !float.IsFinite(Limit)) return ValidationResult.Error($"--limit {Limit}: give a positive number");
            if (!(Step > 0) || !(Step <= Limit)) return ValidationResult.Error($"--step {Step}: give a positive number no larger than --limit");
            return ValidationResult.Success();
        }
    }

    internal static AamiClass? ParseClass(string name) =>
        Enum.TryParse<AamiClass>(name.Trim(), ignoreCase: true, out var c) && Enum.IsDefined(c) && !int.TryParse(name, out _) ? c : null;

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        ResultTables.WidenWhenRedirected();
        var target = ParseClass(settings.Class)!.Value;
        if (CheckpointFile.LoadOrReport(settings.Checkpoint!) is not { } loaded) return 1;
        using var model = loaded.Model;
        var metadata = loaded.Metadata;
        if (CannotCalibrate(metadata) is { } reason)
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
            calibration = Calibrate(model, split, target, settings.Limit, settings.Step);
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
        var command = CheckpointFile.CommandLine();
        var calibrated = calibration.Annotate(metadata, protocol, split, command, settings.Limit, settings.Step);
        Ml.Checkpoints.Checkpoint.Save(settings.Out!, model, calibrated);

        AnsiConsole.MarkupLine(Markup.Escape(calibration.Describe()));
        AnsiConsole.Write(ResultTables.BeforeAfter(calibration.ValidationBefore, calibration.ValidationAfter, "validation, before → after"));
        AnsiConsole.Write(ResultTables.BeforeAfter(calibration.TestBefore, calibration.TestAfter, $"test ({Protocols.Name(protocol)}-patient), before → after"));
        AnsiConsole.Write(ResultTables.Confusion(calibration.TestAfter));
        AnsiConsole.MarkupLine($"checkpoint written: {Markup.Escape(settings.Out!)} ({new FileInfo(settings.Out!).Length / 1024.0:F0} KB)");
        return 0;
    }

    /// <summary>Why a checkpoint cannot be calibrated, or null when it can.</summary>
    internal static string? CannotCalibrate(CheckpointMetadata metadata)
    {
        // The bias must come from beats held out of training and of test; without them there is nothing honest to fit it on.
        if (metadata.ValidationRecords.Count == 0) return "names no validation records: nothing held out of training to calibrate on";
        try
        {
            Protocols.Parse(metadata.Protocol);
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
        return null;
    }

    /// <summary>
    /// Chooses the offset of <paramref name="target"/> on the split's validation beats, sets it as the model's
    /// decision bias, and scores validation and test before and after. The test beats play no part in the choice.
    /// </summary>
    internal static Calibration Calibrate(BeatClassifier model, ProtocolSplit split, AamiClass target, float limit, float step)
    {
        var startingBias = model.DecisionBias.ToArray();
        var validationLogits = Evaluator.Logits(model, split.Validation);
        var choice = DecisionBiasCalibration.Calibrate(validationLogits, split.Validation.Labels, target, startingBias, limit, step);
        // Test logits once: both decisions are argmaxes over them (DecisionBiasCalibration.Predict agrees with Evaluator.Predict).
        var testLogits = Evaluator.Logits(model, split.Test);
        var testPredicted = DecisionBiasCalibration.Predict(testLogits, choice.Bias);
        model.DecisionBias = choice.Bias;
        return new Calibration(choice,
            Score(split.Validation, DecisionBiasCalibration.Predict(validationLogits, startingBias)),
            Score(split.Validation, DecisionBiasCalibration.Predict(validationLogits, choice.Bias)),
            Score(split.Test, DecisionBiasCalibration.Predict(testLogits, startingBias)),
            Score(split.Test, testPredicted),
            testPredicted);

        static EvaluationResult Score(BeatSet set, AamiClass[] predicted) => Metrics.From(Evaluator.Confusion(set.Labels, predicted));
    }

    /// <summary>A calibration's choice and the figures of validation and test before and after it.</summary>
    internal sealed record Calibration(
        DecisionBiasChoice Choice,
        EvaluationResult ValidationBefore,
        EvaluationResult ValidationAfter,
        EvaluationResult TestBefore,
        EvaluationResult TestAfter,
        AamiClass[] TestPredicted)
    {
        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{Choice.Class} logit offset {Choice.Offset:+0.00;-0.00;0.00}: validation min(Se, +P) of {Choice.Class} {100 * Choice.StartingScore:F1} % → {100 * Choice.Score:F1} %; " +
            $"decision bias {CheckpointFile.FormatBias(Choice.Bias)}");

        /// <summary>The metadata of the calibrated model: its bias, the figures under it, and how it was chosen.</summary>
        public CheckpointMetadata Annotate(CheckpointMetadata metadata, SplitProtocol protocol, ProtocolSplit split, string command, float limit, float step) =>
            metadata with
            {
                DecisionBias = Choice.Bias,
                Validation = ValidationAfter,
                Test = TestAfter,
                TestConfusionByRecord = protocol == SplitProtocol.Inter
                    ? Evaluator.ConfusionByRecord(split.Test, TestPredicted).ToDictionary(kv => kv.Key, kv => kv.Value.ToRows())
                    : metadata.TestConfusionByRecord,
                Training = new Dictionary<string, string>(metadata.Training)
                {
                    ["calibrationCommand"] = command,
                    ["calibrationRule"] = DecisionBiasCalibration.Rule(Choice.Class, limit, step),
                    ["calibrationValidationBeats"] = split.Validation.Count.ToString(CultureInfo.InvariantCulture),
                    ["beforeCalibration"] = Summary(ValidationBefore, TestBefore, Choice.Class),
                },
            };

        private static string Summary(EvaluationResult validation, EvaluationResult test, AamiClass c) => string.Create(CultureInfo.InvariantCulture,
            $"validation {c} Se {ResultTables.Percent(validation[c].Sensitivity)} +P {ResultTables.Percent(validation[c].PositivePredictivity)} accuracy {ResultTables.Percent(validation.Accuracy)}; " +
            $"test {c} Se {ResultTables.Percent(test[c].Sensitivity)} +P {ResultTables.Percent(test[c].PositivePredictivity)} accuracy {ResultTables.Percent(test.Accuracy)}");
    }
}
