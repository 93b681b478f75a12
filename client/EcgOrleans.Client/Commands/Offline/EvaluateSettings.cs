using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg evaluate</c>.</summary>
internal sealed class EvaluateSettings : CommandSettings
{
    [CommandOption("--data <DIR>"), Description("Folder of the MIT-BIH Arrhythmia Database.")]
    public string? Data { get; init; }

    [CommandOption("--checkpoint <FILE>")]
    public string? Checkpoint { get; init; }

    [CommandOption("--split <SPLIT>"), Description("intra (the fixed 20 % stratified test beats of DS1+DS2) or inter (DS2).")]
    public string Split { get; init; } = "inter";

    [CommandOption("--records <RECORDS>"), Description("Only these test records (comma separated).")]
    public string? Records { get; init; }

    [CommandOption("--json"), Description("Print the result as JSON instead of tables.")]
    public bool Json { get; init; }

    public override ValidationResult Validate() =>
        Checkpoint is null ? ValidationResult.Error("--checkpoint FILE is required") : ValidationResult.Success();
}
