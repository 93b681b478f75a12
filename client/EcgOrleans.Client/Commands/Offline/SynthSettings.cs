using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg synth</c>.</summary>
internal sealed class SynthSettings : CommandSettings
{
    [CommandOption("--out <DIR>")]
    [Description("Folder to write the records into (created when missing).")]
    public string? Out { get; init; }

    [CommandOption("--records <N>")]
    [Description("Number of records, named s001, s002, ... (default 8).")]
    public int Records { get; init; } = 8;

    [CommandOption("--seconds <S>")]
    [Description("Length of each record in seconds (default 300).")]
    public double Seconds { get; init; } = 300;

    [CommandOption("--seed <K>")]
    [Description("Seed of the database: the same seed writes the same files (default 1).")]
    public int Seed { get; init; } = 1;

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is required");
        if (Records is < 1 or > 999) return ValidationResult.Error($"--records {Records}: give 1 to 999");
        if (!(Seconds > 0) || Seconds > 24 * 3600) return ValidationResult.Error($"--seconds {Seconds}: give more than 0 and at most 86400");
        return ValidationResult.Success();
    }
}
