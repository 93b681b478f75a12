using System.ComponentModel;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Data;

/// <summary>Options shared by every command that reads records: where from, which ones, and JSON output.</summary>
internal class DataSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Folder of WFDB records (e.g. the MIT-BIH Arrhythmia Database).")]
    public string? Data { get; init; }

    [CommandOption("--records <LIST>")]
    [Description("Comma-separated record names (default: the split, else every record in the folder).")]
    public string? Records { get; init; }

    [CommandOption("--split <SPLIT>")]
    [Description("MIT-BIH split: ds1, ds2, paced or all.")]
    public string? Split { get; init; }

    [CommandOption("--json")]
    [Description("Print JSON instead of tables.")]
    public bool Json { get; init; }

    public override ValidationResult Validate()
    {
        if (Split is not null && Split.ToLowerInvariant() is not ("ds1" or "ds2" or "paced" or "all"))
            return ValidationResult.Error($"--split '{Split}' is not one of ds1, ds2, paced, all");
        if (Split is not null && Records is not null)
            return ValidationResult.Error("give --split or --records, not both");
        return ValidationResult.Success();
    }

    /// <summary>The source the options name, or null after telling the user how to get data.</summary>
    public IRecordSource? OpenSource()
    {
        if (Data is null)
        {
            AnsiConsole.MarkupLine(NoDataHelp);
            return null;
        }
        IReadOnlyList<string>? records = Records is not null
            ? [.. Records.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : Split is not null ? DatasetSplits.Named(Split) : null;
        return new WfdbDirectorySource(Data, records);
    }

    public const string NoDataHelp =
        "[yellow]No data given.[/] Point [bold]--data[/] at a folder of WFDB records, for example the MIT-BIH Arrhythmia Database:\n" +
        "  wget -r -N -c -np https://physionet.org/files/mitdb/1.0.0/   [grey](or download the zip from https://physionet.org/content/mitdb/1.0.0/)[/]\n" +
        "  ecg beats --data physionet.org/files/mitdb/1.0.0";
}
