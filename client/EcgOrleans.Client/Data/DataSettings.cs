using System.ComponentModel;
using System.Globalization;
using EcgOrleans.Signal.Sources;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Data;

/// <summary>Options shared by every command that reads records: where from (a WFDB folder or the bundled synthetic generator), which ones, and JSON output.</summary>
internal class DataSettings : CommandSettings
{
    public const int MaxSyntheticRecords = 999;
    public const double MaxSyntheticSeconds = 24 * 3600;

    [CommandOption("--data <DIR>")]
    [Description("Folder of WFDB records (e.g. the MIT-BIH Arrhythmia Database).")]
    public string? Data { get; init; }

    [CommandOption("--records <LIST>")]
    [Description("Comma-separated record names (default: the split, else every record in the folder).")]
    public string? Records { get; init; }

    [CommandOption("--split <SPLIT>")]
    [Description("MIT-BIH split: ds1, ds2, paced or all.")]
    public string? Split { get; init; }

    [CommandOption("--synthetic")]
    [Description("Use the bundled synthetic ECG database (ECGSYN model, every AAMI class) instead of --data.")]
    public bool Synthetic { get; init; }

    [CommandOption("--seed <K>")]
    [Description("Seed of the synthetic database: the same seed gives the same records (default 1).")]
    public int? Seed { get; init; }

    [CommandOption("--records-count <N>")]
    [Description("Number of synthetic records, s001, s002, ... (default 8).")]
    public int? RecordsCount { get; init; }

    [CommandOption("--seconds <S>")]
    [Description("Length of each synthetic record in seconds.")]
    public double? Seconds { get; init; }

    [CommandOption("--json")]
    [Description("Print JSON instead of tables.")]
    public bool Json { get; init; }

    /// <summary>Records are synthetic: asked for, or the command's default when no --data is given.</summary>
    public bool UsesSynthetic => Synthetic || (SyntheticByDefault && Data is null);

    /// <summary>Whether the command has records to read (else it prints how to get some).</summary>
    public bool HasData => Data is not null || UsesSynthetic;

    public int SyntheticRecords => RecordsCount ?? DefaultSyntheticRecords;

    public double SyntheticSeconds => Seconds ?? DefaultSyntheticSeconds;

    public int SyntheticSeed => Seed ?? 1;

    /// <summary>A command whose records are synthetic unless --data is given (the demo).</summary>
    protected virtual bool SyntheticByDefault => false;

    protected virtual int DefaultSyntheticRecords => SyntheticSource.DefaultRecords;

    protected virtual double DefaultSyntheticSeconds => SyntheticSource.DefaultSeconds;

    public override ValidationResult Validate()
    {
        if (Split is not null && Split.ToLowerInvariant() is not ("ds1" or "ds2" or "paced" or "all"))
            return ValidationResult.Error($"--split '{Split}' is not one of ds1, ds2, paced, all");
        if (Split is not null && Records is not null)
            return ValidationResult.Error("give --split or --records, not both");
        if (Synthetic && Data is not null)
            return ValidationResult.Error("give --data or --synthetic, not both");
        if (UsesSynthetic && (Split is not null || Records is not null))
            return ValidationResult.Error("--split and --records pick records of a --data folder; synthetic records are chosen with --records-count");
        if (!UsesSynthetic && (Seed is not null || RecordsCount is not null || Seconds is not null))
            return ValidationResult.Error("--seed, --records-count and --seconds describe synthetic records: add --synthetic");
        if (SyntheticRecords is < 1 or > MaxSyntheticRecords)
            return ValidationResult.Error($"--records-count {SyntheticRecords}: give 1 to {MaxSyntheticRecords}");
        if (!(SyntheticSeconds > 0) || SyntheticSeconds > MaxSyntheticSeconds)
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture,
                $"--seconds {SyntheticSeconds}: give more than 0 and at most {MaxSyntheticSeconds}"));
        return ValidationResult.Success();
    }

    /// <summary>The source the options name, or null after telling the user how to get data.</summary>
    public IRecordSource? OpenSource()
    {
        if (!HasData)
        {
            AnsiConsole.MarkupLine(NoDataHelp);
            return null;
        }
        return Open();
    }

    /// <summary>The source the options name; call only when <see cref="HasData"/>.</summary>
    public IRecordSource Open() => UsesSynthetic
        ? new SyntheticSource(SyntheticSeed, SyntheticRecords, SyntheticSeconds)
        : RecordSelection.Open(Data ?? throw new InvalidOperationException("no --data folder"), Records, Split);

    /// <summary>How to get the MIT-BIH Arrhythmia Database (Spectre markup), for every command that needs it.</summary>
    public const string MitBihDownload =
        "  wget -r -N -c -np https://physionet.org/files/mitdb/1.0.0/   [grey](or download the zip from https://physionet.org/content/mitdb/1.0.0/)[/]\n";

    public const string NoDataHelp =
        "[yellow]No data given.[/] Point [bold]--data[/] at a folder of WFDB records, for example the MIT-BIH Arrhythmia Database:\n" +
        MitBihDownload +
        "  ecg beats --data physionet.org/files/mitdb/1.0.0\n" +
        "or use the bundled synthetic records: [bold]ecg beats --synthetic[/]";
}
