using System.ComponentModel;
using EcgOrleans.Client.Options;
using EcgOrleans.Ml.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg calibrate</c>.</summary>
internal sealed class CalibrateSettings : CommandSettings
{
    [CommandOption("--data <DIR>"), Description("Folder of the MIT-BIH Arrhythmia Database.")]
    public string? Data { get; init; }

    [CommandOption("--checkpoint <FILE>"), Description("Checkpoint to calibrate; it names its validation records.")]
    public string? Checkpoint { get; init; }

    [CommandOption("--out <FILE>"), Description("Calibrated checkpoint to write (may be --checkpoint itself).")]
    public string? Out { get; init; }

    [CommandOption("--class <CLASS>"), Description("AAMI class whose logit offset is chosen (N, S, V, F or Q; default V).")]
    public string Class { get; init; } = "V";

    [CommandOption("--limit <L>"), Description("Offsets tried: -L..+L (default 3).")]
    public float Limit { get; init; } = DecisionBiasCalibration.DefaultLimit;

    [CommandOption("--step <D>"), Description("Grid step of the offsets tried (default 0.05).")]
    public float Step { get; init; } = DecisionBiasCalibration.DefaultStep;

    public override ValidationResult Validate()
    {
        if (Checkpoint is null) return ValidationResult.Error("--checkpoint FILE is required");
        if (Out is null) return ValidationResult.Error("--out FILE is required (where the calibrated checkpoint goes)");
        if (ClassOption.Parse(Class) is null) return ValidationResult.Error($"--class '{Class}' {ClassOption.Error}");
        if (!(Limit > 0) || !float.IsFinite(Limit)) return ValidationResult.Error($"--limit {Limit}: give a positive number");
        if (!(Step > 0) || !(Step <= Limit)) return ValidationResult.Error($"--step {Step}: give a positive number no larger than --limit");
        return ValidationResult.Success();
    }
}
