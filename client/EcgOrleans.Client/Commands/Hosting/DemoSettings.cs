using System.ComponentModel;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Grains.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Hosting;

/// <summary>The options of <c>ecg demo</c>.</summary>
internal sealed class DemoSettings : DataSettings
{
    public const int DefaultRecords = 4;
    public const double DefaultSeconds = 180;

    [CommandOption("--out <DIR>")]
    [Description("Folder for report.json and the PNGs (default ./ecg-demo-out).")]
    public string Out { get; init; } = "ecg-demo-out";

    [CommandOption("--models <DIR>")]
    [Description("Folder of the checkpoints to compare (default: the bundled models/ beside the program).")]
    public string? Models { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("Records streamed at once (default 2).")]
    public int Parallel { get; init; } = 2;

    [CommandOption("--width <COLUMNS>")]
    [Description("Columns of each sparkline (default: as wide as the console allows).")]
    public int? Width { get; init; }

    /// <summary>The sparkline width: --width, else what fits the console.</summary>
    public int SparklineWidth(bool comparing) => Width ?? MapTables.AutoWidth(AnsiConsole.Profile.Width, comparing);

    public string ModelsFolder => Models ?? new EcgOptions().ModelsFolder;

    /// <summary>With no --data the demo analyses the bundled synthetic records: four of three minutes hold every AAMI class.</summary>
    protected override bool SyntheticByDefault => true;

    protected override int DefaultSyntheticRecords => DefaultRecords;

    protected override double DefaultSyntheticSeconds => DefaultSeconds;

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out needs a folder");
        if (Parallel is < 1 or > 64) return ValidationResult.Error($"--parallel {Parallel}: give 1 to 64");
        if (Width is < MapTables.MinWidth or > MapTables.MaxWidth)
            return ValidationResult.Error($"--width {Width}: give {MapTables.MinWidth} to {MapTables.MaxWidth} columns");
        return base.Validate();
    }
}
