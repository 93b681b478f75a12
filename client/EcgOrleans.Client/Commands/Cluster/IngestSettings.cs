using System.ComponentModel;
using EcgOrleans.Client.Data;
using EcgOrleans.Signal.Sources;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary>The options of <c>ecg ingest</c>: the run (and cluster), the records, and where the run is written.</summary>
internal sealed class IngestSettings : RunSettings, IRecordOptions
{
    [CommandOption("--data <DIR>"), Description(RecordOptions.DataDescription)]
    public string? Data { get; init; }

    [CommandOption("--records <LIST>"), Description(RecordOptions.RecordsDescription)]
    public string? Records { get; init; }

    [CommandOption("--split <SPLIT>"), Description(RecordOptions.SplitDescription)]
    public string? Split { get; init; }

    [CommandOption("--synthetic"), Description(RecordOptions.SyntheticDescription)]
    public bool Synthetic { get; init; }

    [CommandOption("--seed <K>"), Description(RecordOptions.SeedDescription)]
    public int? Seed { get; init; }

    [CommandOption("--records-count <N>"), Description(RecordOptions.RecordsCountDescription)]
    public int? RecordsCount { get; init; }

    [CommandOption("--seconds <S>"), Description(RecordOptions.SecondsDescription)]
    public double? Seconds { get; init; }

    [CommandOption("--parallel <N>"), Description("Records streamed at once (default 4).")]
    public int Parallel { get; init; } = 4;

    [CommandOption("--chunk-seconds <S>"), Description("Seconds of signal per chunk sent to a record grain (default 30).")]
    public double ChunkSeconds { get; init; } = 30;

    [CommandOption(RecordRefusals.Option), Description(RecordRefusals.Description)]
    public bool KeepGoing { get; init; }

    [CommandOption("--out <DIR>"), Description("Write the run when it is done: report.json (counts, confusion, maps) and a PNG per map in DIR/<run>/. " +
        "With --in-process the run ends with the process: this keeps it.")]
    public string? Out { get; init; }

    bool IRecordOptions.SyntheticByDefault => false;

    int IRecordOptions.DefaultSyntheticRecords => SyntheticSource.DefaultRecords;

    double IRecordOptions.DefaultSyntheticSeconds => SyntheticSource.DefaultSeconds;

    public override ValidationResult Validate()
    {
        if (Run is null) return ValidationResult.Error("--run is required");
        if (AnalysisProblem() is { } analysis) return ValidationResult.Error(analysis);
        if (Parallel is < 1 or > 256) return ValidationResult.Error("--parallel must be between 1 and 256");
        if (!(ChunkSeconds is > 0 and <= 600)) return ValidationResult.Error("--chunk-seconds must be in (0, 600]");
        if (Out is not null && string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out needs a folder");
        return RecordOptions.Problem(this) is { } problem ? ValidationResult.Error(problem) : ValidationResult.Success();
    }
}
