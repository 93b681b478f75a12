using System.ComponentModel;
using EcgOrleans.Client.Commands.Cluster;
using EcgOrleans.Client.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Hosting;

/// <summary>The options of <c>ecg scale</c>.</summary>
internal sealed class ScaleSettings : DataSettings
{
    [CommandOption("--silos <LIST>")]
    [Description("Silo counts to measure (default 1,2,4; silo processes on this machine).")]
    public string Silos { get; init; } = "1,2,4";

    [CommandOption("--model <MODEL>")]
    [Description("Model the runs score with (default " + RunDefaults.Model + ").")]
    public string Model { get; init; } = RunDefaults.Model;

    [CommandOption("--models <DIR>")]
    [Description("Checkpoints the silos register (default: the bundled models/ beside the program).")]
    public string? Models { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("Records streamed at once (default 6).")]
    public int Parallel { get; init; } = 6;

    [CommandOption("--out <DIR>")]
    [Description("Folder for scale.json and scale.png (default ./ecg-scale-out).")]
    public string Out { get; init; } = "ecg-scale-out";

    [CommandOption("--cores <N>")]
    [Description("Cores per machine for the projection (default: this machine's).")]
    public int Cores { get; init; } = Environment.ProcessorCount;

    [CommandOption("--live")]
    [Description("Measure the live workload instead of a replay: --monitors monitors at real time for --live-seconds per silo count.")]
    public bool Live { get; init; }

    [CommandOption("--monitors <N>")]
    [Description("Live monitors with --live (default 1000, at most 100,000).")]
    public int Monitors { get; init; } = 1000;

    [CommandOption("--live-seconds <S>")]
    [Description("Seconds each silo count streams with --live (default 60).")]
    public double LiveSeconds { get; init; } = 60;

    public IReadOnlyList<int> SiloCounts =>
        [.. Silos.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).Distinct().Order()];

    protected override bool SyntheticByDefault => true;

    protected override int DefaultSyntheticRecords => 12;

    protected override double DefaultSyntheticSeconds => 300;

    public override ValidationResult Validate()
    {
        if (!Silos.Split(',', StringSplitOptions.RemoveEmptyEntries).All(s => int.TryParse(s.Trim(), out var n) && n is >= 1 and <= 16))
            return ValidationResult.Error($"--silos '{Silos}': give silo counts from 1 to 16, comma-separated");
        if (!SiloCounts.Contains(1)) return ValidationResult.Error("--silos must include 1: the projection starts from one silo");
        if (Parallel is < 1 or > 256) return ValidationResult.Error("--parallel must be between 1 and 256");
        if (Cores < 1) return ValidationResult.Error("--cores must be at least 1");
        if (Monitors is < 1 or > global::EcgOrleans.Client.Live.MonitorNames.MaxMonitors) return ValidationResult.Error($"--monitors {Monitors}: give 1 to 100,000");
        if (!(LiveSeconds > 0 && double.IsFinite(LiveSeconds))) return ValidationResult.Error(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--live-seconds {LiveSeconds}: give a positive number of seconds"));
        return base.Validate();
    }
}
