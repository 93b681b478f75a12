using System.ComponentModel;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg faithfulness</c>: checkpoints, which beats, how many, and the curves' settings.</summary>
internal sealed class FaithfulnessSettings : CommandSettings
{
    public const int MaxPerClass = 5000;
    public const int MaxSteps = 256;

    [CommandOption("--data <DIR>"), Description("Folder of the MIT-BIH Arrhythmia Database.")]
    public string? Data { get; init; }

    [CommandOption("--checkpoint <FILE>"), Description("Checkpoint to test; repeat it to test several side by side (e.g. the Kachuee CNN and the ResNet).")]
    public string[] Checkpoints { get; init; } = [];

    [CommandOption("--split <SPLIT>"), Description("MIT-BIH records to draw beats from: ds1, ds2, paced or all. Default: ds2 (the inter-patient test records).")]
    public string Split { get; init; } = "ds2";

    [CommandOption("--per-class <N>"), Description("Beats per AAMI class in the fixed, seeded sample (all of a class that has fewer). Default: 100.")]
    public int PerClass { get; init; } = 100;

    [CommandOption("--sanity-per-class <N>"), Description("Beats per class for the model-randomisation check, drawn from the same sample; 0 skips the check. Default: 20.")]
    public int SanityPerClass { get; init; } = 20;

    [CommandOption("--methods <LIST>"), Description("Saliency methods, comma separated: vanilla, gradxinput, smoothgrad, ig, occlusion, gradcam. Default: all six.")]
    public string? Methods { get; init; }

    [CommandOption("--target <TARGET>"), Description("Class whose probability the curves follow and the maps explain: reference (the annotated class) or predicted (the model's decision on the beat with its real features). Default: reference.")]
    public string Target { get; init; } = "reference";

    [CommandOption("--steps <K>"), Description("Curve points at 0, 1/K, ..., 1 of the waveform's samples removed or inserted. Default: 32.")]
    public int Steps { get; init; } = 32;

    [CommandOption("--seed <S>"), Description("Seed of the beat sample, the random orders and the re-initialised weights. Default: 1.")]
    public int Seed { get; init; } = 1;

    [CommandOption("--threads <N>"), Description("LibTorch threads. Default: 1 (the machine is shared).")]
    public int Threads { get; init; } = 1;

    [CommandOption("--json"), Description("Print the result as JSON instead of tables.")]
    public bool Json { get; init; }

    /// <summary>The methods asked for, in the order given (every method when none is named).</summary>
    public IReadOnlyList<SaliencyMethodKind> MethodKinds => Methods is null
        ? SaliencyMethods.Kinds
        : [.. Methods.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(SaliencyMethods.Parse).Distinct()];

    public SaliencyTarget TargetKind => SaliencyTarget.Parse(Target);

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) return ValidationResult.Error("--data DIR is required: the MIT-BIH folder");
        if (Checkpoints.Length == 0) return ValidationResult.Error("--checkpoint FILE is required (repeat it to compare models)");
        if (Checkpoints.Distinct().Count() != Checkpoints.Length) return ValidationResult.Error("--checkpoint names the same file twice");
        if (!DatasetSplits.IsName(Split)) return ValidationResult.Error($"--split '{Split}' is not one of {string.Join(", ", DatasetSplits.Names)}");
        if (PerClass is < 1 or > MaxPerClass) return ValidationResult.Error($"--per-class {PerClass}: give 1 to {MaxPerClass} beats");
        if (SanityPerClass < 0 || SanityPerClass > PerClass)
            return ValidationResult.Error($"--sanity-per-class {SanityPerClass}: give 0 (no check) to --per-class ({PerClass})");
        if (Steps is < 1 or > MaxSteps) return ValidationResult.Error($"--steps {Steps}: give 1 to {MaxSteps}");
        if (Threads < 1) return ValidationResult.Error($"--threads {Threads}: give at least 1");
        try
        {
            if (MethodKinds.Count == 0) return ValidationResult.Error("--methods names no method");
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error($"--methods: {Plain(e)}");
        }
        try
        {
            _ = TargetKind;
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error($"--target: {Plain(e)}");
        }
        return ValidationResult.Success();
    }

    /// <summary>The message without the " (Parameter 'x')" .NET appends: the option is named instead.</summary>
    private static string Plain(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
}
