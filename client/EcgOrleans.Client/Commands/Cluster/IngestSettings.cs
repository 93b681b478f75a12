using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary>The options of <c>ecg ingest</c>.</summary>
internal sealed class IngestSettings : RunSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Folder of WFDB records (e.g. MIT-BIH).")]
    public string? Data { get; init; }

    [CommandOption("--records <LIST>")]
    public string? Records { get; init; }

    [CommandOption("--split <SPLIT>")]
    [Description("MIT-BIH split: ds1, ds2, paced or all.")]
    public string? Split { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("Records streamed at once.")]
    public int Parallel { get; init; } = 4;

    [CommandOption("--chunk-seconds <S>")]
    public double ChunkSeconds { get; init; } = 30;

    public override ValidationResult Validate()
    {
        if (Run is null) return ValidationResult.Error("--run is required");
        if (Parallel is < 1 or > 256) return ValidationResult.Error("--parallel must be between 1 and 256");
        if (!(ChunkSeconds is > 0 and <= 600)) return ValidationResult.Error("--chunk-seconds must be in (0, 600]");
        return ValidationResult.Success();
    }
}
