using System.ComponentModel;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Options;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg evaluate</c>: a checkpoint, and which annotated records to score it on.</summary>
internal sealed class EvaluateSettings : CommandSettings
{
    [CommandOption("--data <DIR>"), Description("Folder of annotated WFDB records (any database, any sampling rate).")]
    public string? Data { get; init; }

    [CommandOption("--checkpoint <FILE>"), Description("Checkpoint to score.")]
    public string? Checkpoint { get; init; }

    [CommandOption("--records <LIST>"), Description("These records (comma separated); with --protocol, only their test beats.")]
    public string? Records { get; init; }

    [CommandOption("--split <SPLIT>"), Description("MIT-BIH records: ds1, ds2, paced or all.")]
    public string? Split { get; init; }

    [CommandOption("--protocol <PROTOCOL>"), Description("MIT-BIH test beats of a protocol: inter (DS2) or intra (the fixed 20 % stratified beats of DS1+DS2). " +
        "Default: inter when --data holds DS1 and DS2 and nothing else is asked, else every record in --data.")]
    public string? Protocol { get; init; }

    [CommandOption(RecordRefusals.Option), Description(RecordRefusals.Description)]
    public bool KeepGoing { get; init; }

    [CommandOption("--json"), Description("Print the result as JSON instead of tables.")]
    public bool Json { get; init; }

    /// <summary>The protocol asked for, by --protocol or by its old name --split intra|inter.</summary>
    public string? ProtocolName => ProtocolOption.Resolve(Protocol, Split);

    /// <summary>The MIT-BIH record set asked for by --split, if any.</summary>
    public string? RecordSet => ProtocolOption.IsOldName(Split) ? null : Split?.Trim().ToLowerInvariant();

    public override ValidationResult Validate()
    {
        if (Checkpoint is null) return ValidationResult.Error("--checkpoint FILE is required");
        if (string.IsNullOrWhiteSpace(Data)) return ValidationResult.Error("--data DIR is required: a folder of annotated WFDB records");
        if (ProtocolOption.Problem(Protocol, Split) is { } problem) return ValidationResult.Error(problem);
        if (RecordSet is { } set && !DatasetSplits.IsName(set))
            return ValidationResult.Error($"--split '{Split}' is not one of {string.Join(", ", DatasetSplits.Names)} (or the protocols intra, inter)");
        if (RecordSet is not null && Records is not null) return ValidationResult.Error("give --split or --records, not both");
        if (KeepGoing && ProtocolName == "intra")
            return ValidationResult.Error("--keep-going cannot be used with --protocol intra: its test beats are drawn from every DS1 and DS2 beat, so every record must read");
        return ValidationResult.Success();
    }
}
