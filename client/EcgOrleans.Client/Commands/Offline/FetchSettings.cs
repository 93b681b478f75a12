using System.ComponentModel;
using EcgOrleans.Client.Data;
using EcgOrleans.Signal.Databases;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg fetch</c>.</summary>
internal sealed class FetchSettings : CommandSettings
{
    [CommandArgument(0, "[DATABASE]"), Description("PhysioNet's short name of the database: mitdb, svdb, incartdb, qtdb, nsrdb, afdb, edb, nstdb, vfdb, cudb, ltafdb.")]
    public string? Database { get; init; }

    [CommandOption("--out <DIR>"), Description("Folder to download into (created when missing); files already there and verified are kept.")]
    public string? Out { get; init; }

    [CommandOption("--records <LIST>"), Description("Only these records (comma separated), with the folder's RECORDS and ANNOTATORS files.")]
    public string? Records { get; init; }

    [CommandOption("--base-url <URL>"), Description("The folder that holds the database's SHA256SUMS.txt, for a mirror or a database not known by name " +
        "(default: https://physionet.org/files/DATABASE/VERSION/).")]
    public string? BaseUrl { get; init; }

    /// <summary>Where the files are: --base-url, else the known database's folder on PhysioNet.</summary>
    public Uri Url => BaseUrl is { } url ? new Uri(url) : PhysioNetDatabases.Get(Database!).BaseUrl();

    /// <summary>What the fetch is called in messages.</summary>
    public string Title => Database is { } name && PhysioNetDatabases.TryGet(name, out var known) ? $"{known.Name} ({known.Title})" : Database ?? Url.ToString();

    public IReadOnlyList<string>? RecordList => Records is null ? null : MitBihData.Parse(Records);

    public override ValidationResult Validate()
    {
        if (Database is null && BaseUrl is null)
            return ValidationResult.Error($"name a database ({string.Join(", ", PhysioNetDatabases.Known.Select(d => d.Name))}) or give --base-url");
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out DIR is required: where the files go");
        if (BaseUrl is not null && !(Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            return ValidationResult.Error($"--base-url '{BaseUrl}' is not an http(s) URL");
        if (BaseUrl is null && !PhysioNetDatabases.TryGet(Database!, out _))
            return ValidationResult.Error(
                $"'{Database}' is not a database ecg fetch knows ({string.Join(", ", PhysioNetDatabases.Known.Select(d => d.Name))}); give its folder with --base-url");
        if (RecordList is [])
            return ValidationResult.Error("--records names no record");
        return ValidationResult.Success();
    }
}
