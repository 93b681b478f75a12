using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary>The options of <c>ecg simulate</c>. The monitors stream into records monitor-01, monitor-02, ... of dataset 'live' of the run.</summary>
internal sealed class SimulateSettings : RunSettings
{
    public const int MaxMonitors = 99;
    public const double MaxSpeed = 1000;

    [CommandOption("--monitors <N>")]
    [Description("Number of monitors, each a different synthetic patient (default 4).")]
    public int Monitors { get; init; } = 4;

    [CommandOption("--speed <X>")]
    [Description("Signal seconds per second: 1 is real time, 10 streams ten times faster (default 1).")]
    public double Speed { get; init; } = 1;

    [CommandOption("--seconds <S>")]
    [Description("Stop after S seconds (default: run until Ctrl+C).")]
    public double? Seconds { get; init; }

    [CommandOption("--seed <K>")]
    [Description("Seed of the patients: the same seed streams the same signals (default 1).")]
    public int Seed { get; init; } = 1;

    public override ValidationResult Validate()
    {
        if (Run is null) return ValidationResult.Error("--run is required");
        if (AnalysisProblem() is { } analysis) return ValidationResult.Error(analysis);
        if (Monitors is < 1 or > MaxMonitors) return ValidationResult.Error($"--monitors {Monitors}: give 1 to {MaxMonitors}");
        if (!(Speed > 0) || Speed > MaxSpeed)
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--speed {Speed}: give more than 0 and at most {MaxSpeed}"));
        if (Seconds is { } s && !(s > 0 && double.IsFinite(s)))
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--seconds {s}: give a positive number of seconds"));
        return ValidationResult.Success();
    }
}
