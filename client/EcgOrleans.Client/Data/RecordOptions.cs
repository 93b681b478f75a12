using System.Globalization;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;

namespace EcgOrleans.Client.Data;

/// <summary>
/// The options that say which records a command reads: a WFDB folder (and which of its records) or the bundled
/// synthetic generator. <see cref="DataSettings"/> has them; a command whose settings derive from another base
/// (ingest, from the cluster options) declares them itself and shares the checks here.
/// </summary>
internal interface IRecordOptions
{
    string? Data { get; }

    string? Records { get; }

    string? Split { get; }

    bool Synthetic { get; }

    int? Seed { get; }

    int? RecordsCount { get; }

    double? Seconds { get; }

    /// <summary>Whether the records are synthetic when no --data is given (the demo).</summary>
    bool SyntheticByDefault { get; }

    int DefaultSyntheticRecords { get; }

    double DefaultSyntheticSeconds { get; }
}

/// <summary>What the record options mean, and the checks every command that has them makes.</summary>
internal static class RecordOptions
{
    public const int MaxSyntheticRecords = 999;
    public const double MaxSyntheticSeconds = 24 * 3600;

    public const string DataDescription = "Folder of WFDB records (e.g. the MIT-BIH Arrhythmia Database).";
    public const string RecordsDescription = "Comma-separated record names (default: the split, else every record in the folder).";
    public const string SplitDescription = "MIT-BIH split: ds1, ds2, paced or all.";
    public const string SyntheticDescription = "Use the bundled synthetic ECG database (ECGSYN model, every AAMI class) instead of --data.";
    public const string SeedDescription = "Seed of the synthetic database: the same seed gives the same records (default 1).";
    public const string RecordsCountDescription = "Number of synthetic records, s001, s002, ... (default 8).";
    public const string SecondsDescription = "Length of each synthetic record in seconds.";

    /// <summary>Records are synthetic: asked for, or the command's default when no --data is given.</summary>
    public static bool UsesSynthetic(this IRecordOptions o) => o.Synthetic || (o.SyntheticByDefault && o.Data is null);

    /// <summary>Whether the command has records to read (else it prints how to get some).</summary>
    public static bool HasData(this IRecordOptions o) => o.Data is not null || o.UsesSynthetic();

    public static int SyntheticRecords(this IRecordOptions o) => o.RecordsCount ?? o.DefaultSyntheticRecords;

    public static double SyntheticSeconds(this IRecordOptions o) => o.Seconds ?? o.DefaultSyntheticSeconds;

    /// <summary>What is wrong with the options, or null.</summary>
    public static string? Problem(this IRecordOptions o)
    {
        if (o.Split is not null && !DatasetSplits.IsName(o.Split))
            return $"--split '{o.Split}' is not one of {string.Join(", ", DatasetSplits.Names)}";
        if (o.Split is not null && o.Records is not null) return "give --split or --records, not both";
        if (o.Synthetic && o.Data is not null) return "give --data or --synthetic, not both";
        if (o.UsesSynthetic() && (o.Split is not null || o.Records is not null))
            return "--split and --records pick records of a --data folder; synthetic records are chosen with --records-count";
        if (!o.UsesSynthetic() && (o.Seed is not null || o.RecordsCount is not null || o.Seconds is not null))
            return "--seed, --records-count and --seconds describe synthetic records: add --synthetic";
        if (o.SyntheticRecords() is < 1 or > MaxSyntheticRecords) return $"--records-count {o.SyntheticRecords()}: give 1 to {MaxSyntheticRecords}";
        if (!(o.SyntheticSeconds() > 0) || o.SyntheticSeconds() > MaxSyntheticSeconds)
            return string.Create(CultureInfo.InvariantCulture, $"--seconds {o.SyntheticSeconds()}: give more than 0 and at most {MaxSyntheticSeconds}");
        return null;
    }

    /// <summary>The source the options name; call only when <see cref="HasData"/>.</summary>
    public static IRecordSource Open(this IRecordOptions o) => o.UsesSynthetic()
        ? new SyntheticSource(o.Seed ?? 1, o.SyntheticRecords(), o.SyntheticSeconds())
        : RecordSelection.Open(o.Data ?? throw new InvalidOperationException("no --data folder"), o.Records, o.Split);

    /// <summary>How to get the MIT-BIH Arrhythmia Database (Spectre markup), for every command that needs it.</summary>
    public const string MitBihDownload =
        "  ecg fetch mitdb --out mitdb   [grey](downloads and verifies it from PhysioNet, https://physionet.org/content/mitdb/1.0.0/)[/]\n";

    /// <summary>What a command prints when it is given no records (Spectre markup).</summary>
    public static string NoDataHelp(string command) =>
        "[yellow]No data given.[/] Point [bold]--data[/] at a folder of WFDB records, for example the MIT-BIH Arrhythmia Database:\n" +
        MitBihDownload +
        $"  ecg {command} --data mitdb\n" +
        $"or use the bundled synthetic records: [bold]ecg {command} --synthetic[/]";
}
