using System.ComponentModel;
using EcgOrleans.Signal.Sources;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Data;

/// <summary>Options shared by every command that reads records: where from (a WFDB folder or the bundled synthetic generator), which ones, and JSON output.</summary>
internal class DataSettings : CommandSettings, IRecordOptions
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

    [CommandOption("--json"), Description("Print JSON instead of tables.")]
    public bool Json { get; init; }

    public bool UsesSynthetic => RecordOptions.UsesSynthetic(this);

    public bool HasData => RecordOptions.HasData(this);

    public int SyntheticRecords => RecordOptions.SyntheticRecords(this);

    public double SyntheticSeconds => RecordOptions.SyntheticSeconds(this);

    bool IRecordOptions.SyntheticByDefault => SyntheticByDefault;

    int IRecordOptions.DefaultSyntheticRecords => DefaultSyntheticRecords;

    double IRecordOptions.DefaultSyntheticSeconds => DefaultSyntheticSeconds;

    /// <summary>A command whose records are synthetic unless --data is given (the demo).</summary>
    protected virtual bool SyntheticByDefault => false;

    protected virtual int DefaultSyntheticRecords => SyntheticSource.DefaultRecords;

    protected virtual double DefaultSyntheticSeconds => SyntheticSource.DefaultSeconds;

    public override ValidationResult Validate() =>
        RecordOptions.Problem(this) is { } problem ? ValidationResult.Error(problem) : ValidationResult.Success();

    /// <summary>The source the options name, or null after telling the user how to get data with <c>ecg <paramref name="command"/></c>.</summary>
    public IRecordSource? OpenSource(string command)
    {
        if (!HasData)
        {
            AnsiConsole.MarkupLine(RecordOptions.NoDataHelp(command));
            return null;
        }
        return Open();
    }

    /// <summary>The source the options name; call only when <see cref="HasData"/>.</summary>
    public IRecordSource Open() => RecordOptions.Open(this);
}
