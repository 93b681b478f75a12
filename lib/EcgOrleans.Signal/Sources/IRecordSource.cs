using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Sources;

/// <summary>Where records come from: a folder of WFDB files, or the bundled synthetic generator.</summary>
public interface IRecordSource
{
    /// <summary>Dataset name used in grain keys and reports ("mitdb", "synthetic", a folder name).</summary>
    string Dataset { get; }

    IReadOnlyList<string> Records { get; }

    WfdbRecord Load(string record);
}

/// <summary>Records in a WFDB folder (each <c>name.hea</c> with its signal and <c>.atr</c> files).</summary>
public sealed class WfdbDirectorySource : IRecordSource
{
    public WfdbDirectorySource(string directory, IReadOnlyList<string>? records = null, string annotator = "atr")
    {
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException($"data folder '{directory}' does not exist");
        Directory = Path.GetFullPath(directory);
        Annotator = annotator;
        Records = records ?? [.. System.IO.Directory.EnumerateFiles(Directory, "*.hea")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];
        if (Records.Count == 0)
            throw new FileNotFoundException($"no WFDB records (*.hea) in '{Directory}'");
        var missing = Records.Where(r => !File.Exists(Path.Combine(Directory, r + ".hea"))).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException($"no header for record(s) {string.Join(", ", missing)} in '{Directory}'");
        Dataset = SafeName(Path.GetFileName(Directory.TrimEnd(Path.DirectorySeparatorChar)));
    }

    public string Directory { get; }

    public string Annotator { get; }

    public string Dataset { get; }

    public IReadOnlyList<string> Records { get; }

    /// <summary>Reads a record; annotations are optional (a record without an annotation file is read without them).</summary>
    public WfdbRecord Load(string record)
    {
        var annotated = File.Exists(Path.Combine(Directory, $"{record}.{Annotator}"));
        return WfdbRecord.Read(Directory, record, annotated ? Annotator : null);
    }

    private static string SafeName(string name)
    {
        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return safe.Length is > 0 and <= 64 && safe is not "." and not ".." ? safe : "data";
    }
}
