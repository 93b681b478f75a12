using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;

namespace EcgOrleans.Client.Data;

/// <summary>Turns the data options of a command into a record source.</summary>
internal static class RecordSelection
{
    public static WfdbDirectorySource Open(string data, string? records, string? split)
    {
        IReadOnlyList<string>? names = records is not null
            ? [.. records.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : split is not null ? DatasetSplits.Named(split) : null;
        return new WfdbDirectorySource(data, names);
    }
}
