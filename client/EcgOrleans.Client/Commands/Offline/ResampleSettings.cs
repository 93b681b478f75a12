using System.ComponentModel;
using System.Globalization;
using EcgOrleans.Client.Data;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg resample</c>.</summary>
internal sealed class ResampleSettings : CommandSettings
{
    [CommandOption("--data <DIR>"), Description("Folder of WFDB records to copy.")]
    public string? Data { get; init; }

    [CommandOption("--to <HZ>"), Description("Sampling frequency of the copies, Hz (e.g. 128, 250).")]
    public double? To { get; init; }

    [CommandOption("--out <DIR>"), Description("Folder for the copies (created when missing); not --data itself.")]
    public string? Out { get; init; }

    [CommandOption("--records <LIST>"), Description("Comma-separated record names (default: the split, else every record in the folder).")]
    public string? Records { get; init; }

    [CommandOption("--split <SPLIT>"), Description("MIT-BIH split: ds1, ds2, paced or all.")]
    public string? Split { get; init; }

    [CommandOption(RecordRefusals.Option), Description(RecordRefusals.Description)]
    public bool KeepGoing { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Data)) return ValidationResult.Error("--data DIR is required: the records to copy");
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out DIR is required: where the copies go");
        if (To is not { } hz || !(hz > 0) || !double.IsFinite(hz))
            return ValidationResult.Error($"--to {To?.ToString(CultureInfo.InvariantCulture) ?? "HZ"} is required: give a positive sampling frequency in Hz");
        if (Path.GetFullPath(Data) == Path.GetFullPath(Out)) return ValidationResult.Error("--out is --data: the copies would overwrite the records");
        if (Split is not null && !DatasetSplits.IsName(Split))
            return ValidationResult.Error($"--split '{Split}' is not one of {string.Join(", ", DatasetSplits.Names)}");
        if (Split is not null && Records is not null) return ValidationResult.Error("give --split or --records, not both");
        return ValidationResult.Success();
    }
}
