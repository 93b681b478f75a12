using System.ComponentModel;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary>The options of <c>ecg maps</c>.</summary>
internal sealed class MapsSettings : MapViewSettings
{
    [CommandOption("--json")]
    [Description("Print the maps as JSON (runs, maps, and differences with --compare).")]
    public bool Json { get; init; }

    [CommandOption("--png <DIR>")]
    [Description("Also write one PNG per map into DIR/<run>/ (and DIR/<run>-vs-<run2>/ with --compare).")]
    public string? Png { get; init; }
}
