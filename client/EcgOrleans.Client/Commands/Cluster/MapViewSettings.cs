using System.ComponentModel;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Ml.ClassMaps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary>Which run's maps to show, and how wide: shared by <c>maps</c> and <c>watch</c>.</summary>
internal class MapViewSettings : ClusterSettings
{
    [CommandOption("--run <NAME>")]
    [Description("Run whose class maps to show.")]
    public string? Run { get; init; }

    [CommandOption("--compare <RUN2>")]
    [Description("A second run (another model or representation) shown beside the first, with the saliency difference first − second.")]
    public string? Compare { get; init; }

    [CommandOption("--grouping <GROUPING>")]
    [Description("reference, predicted, cell or all (default reference).")]
    public string Grouping { get; init; } = ClassMapGrouping.Reference.Name;

    [CommandOption("--class <CLASS>")]
    [Description("Only maps of this AAMI class (N, S, V, F, Q); a confusion cell as reference-predicted, e.g. V-N.")]
    public string? Class { get; init; }

    [CommandOption("--width <COLUMNS>")]
    [Description("Columns of each sparkline (default: as wide as the console allows).")]
    public int? Width { get; init; }

    /// <summary>The sparkline width: --width, else what fits the console.</summary>
    public int SparklineWidth(bool comparing) => Width ?? MapTables.AutoWidth(AnsiConsole.Profile.Width, comparing);

    public MapSelection Selection =>
        MapSelection.TryParse(Grouping, Class, out var selection) is { } error ? throw new InvalidOperationException(error) : selection;

    public override ValidationResult Validate()
    {
        if (Run is null) return ValidationResult.Error("--run is required");
        if (Compare is not null && Compare == Run) return ValidationResult.Error($"--compare {Compare} is the run itself: name another run");
        if (MapSelection.TryParse(Grouping, Class, out _) is { } error) return ValidationResult.Error(error);
        if (Width is < MapTables.MinWidth or > MapTables.MaxWidth)
            return ValidationResult.Error($"--width {Width}: give {MapTables.MinWidth} to {MapTables.MaxWidth} columns");
        return ValidationResult.Success();
    }
}
