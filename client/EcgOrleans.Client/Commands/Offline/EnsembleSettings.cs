using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg ensemble</c>.</summary>
internal sealed class EnsembleSettings : CommandSettings
{
    [CommandArgument(0, "<CHECKPOINTS>"), Description("Two or more checkpoints of one architecture, trained on the same records with the same validation records.")]
    public string[] Members { get; init; } = [];

    [CommandOption("--data <DIR>"), Description("Folder of the MIT-BIH Arrhythmia Database (to score the ensemble).")]
    public string? Data { get; init; }

    [CommandOption("--out <FILE>"), Description("Ensemble checkpoint to write.")]
    public string? Out { get; init; }

    public override ValidationResult Validate()
    {
        if (Out is null) return ValidationResult.Error("--out FILE is required (where the ensemble checkpoint goes)");
        if (Members.Length < 2) return ValidationResult.Error($"give at least two checkpoints to combine, not {Members.Length}");
        return ValidationResult.Success();
    }
}
