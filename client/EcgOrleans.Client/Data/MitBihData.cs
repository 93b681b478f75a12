using EcgOrleans.Signal.Beats;
using Spectre.Console;

namespace EcgOrleans.Client.Data;

/// <summary>Finding the MIT-BIH Arrhythmia Database on disk, and saying how to get it when it is not there.</summary>
internal static class MitBihData
{
    /// <summary>Null when <paramref name="directory"/> holds the records <paramref name="records"/> need; else what is wrong.</summary>
    public static string? Problem(string? directory, IEnumerable<string> records)
    {
        if (string.IsNullOrWhiteSpace(directory)) return "--data is required.";
        if (!Directory.Exists(directory)) return $"data folder {directory} does not exist.";
        var missing = records.Where(r => !File.Exists(Path.Combine(directory, r + ".hea"))).ToList();
        return missing.Count == 0 ? null : $"data folder {directory} lacks record(s) {string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : "")}.";
    }

    /// <summary>Prints the problem and the download instructions; returns the exit code for a usage error.</summary>
    public static int Report(string problem)
    {
        AnsiConsole.MarkupLine($"[red]{Markup.Escape(problem)}[/]");
        AnsiConsole.MarkupLine("The MIT-BIH Arrhythmia Database is needed; download it from PhysioNet:\n" + RecordOptions.MitBihDownload +
            "then pass the folder holding 100.hea, 100.dat, 100.atr, ... with [bold]--data[/]");
        return 2;
    }

    public static IReadOnlyList<string> Parse(string list) =>
        [.. list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static bool IsKnownRecord(string record) => DatasetSplits.All.Contains(record);
}
