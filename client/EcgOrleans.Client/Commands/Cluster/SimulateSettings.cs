using System.ComponentModel;
using System.Globalization;
using EcgOrleans.Client.Live;
using EcgOrleans.Signal.Sources;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary>The options of <c>ecg simulate</c>. The monitors stream into records monitor-000001, monitor-000002, ... of dataset 'live' of the run.</summary>
internal sealed class SimulateSettings : RunSettings
{
    public const int MaxMonitors = MonitorNames.MaxMonitors;
    public const double MaxSpeed = 1000;
    public const int MaxPatients = 999;

    [CommandOption("--monitors <N>")]
    [Description("Number of monitors (default 4, at most 100,000).")]
    public int Monitors { get; init; } = 4;

    [CommandOption("--speed <X>")]
    [Description("Signal seconds per second: 1 is real time, 10 streams ten times faster (default 1).")]
    public double Speed { get; init; } = 1;

    [CommandOption("--seconds <S>")]
    [Description("Stop after S seconds (default: run until Ctrl+C).")]
    public double? Seconds { get; init; }

    [CommandOption("--seed <K>")]
    [Description("Seed of the synthetic patients: the same seed streams the same signals (default 1).")]
    public int Seed { get; init; } = 1;

    [CommandOption("--patients <N>")]
    [Description("Recordings the monitors replay, each from its own offset: synthetic patients of the seed, or the first N records of --data (default 8).")]
    public int PatientCount { get; init; } = Live.PatientPool.DefaultPatients;

    [CommandOption("--data <DIR>")]
    [Description("Replay the records of this WFDB folder (e.g. MIT-BIH) instead of synthetic patients.")]
    public string? Data { get; init; }

    [CommandOption("--max-in-flight <N>")]
    [Description("Chunk deliveries kept going at once (default 2000).")]
    public int MaxInFlight { get; init; } = Live.FleetOptions.DefaultMaxInFlight;

    [CommandOption("--finish")]
    [Description("End each monitor's record when the simulation stops (after --seconds or the first Ctrl+C): its last chunk makes the record done, and it takes no more chunks (default: off, the records stay open for a later run to carry on).")]
    public bool Finish { get; init; }

    public override ValidationResult Validate()
    {
        if (Run is null) return ValidationResult.Error("--run is required");
        if (AnalysisProblem() is { } analysis) return ValidationResult.Error(analysis);
        if (Monitors is < 1 or > MaxMonitors)
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--monitors {Monitors}: give 1 to {MaxMonitors:#,0}"));
        if (!(Speed > 0) || Speed > MaxSpeed)
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--speed {Speed}: give more than 0 and at most {MaxSpeed}"));
        if (Seconds is { } s && !(s > 0 && double.IsFinite(s)))
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--seconds {s}: give a positive number of seconds"));
        if (PatientCount is < 1 or > MaxPatients)
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--patients {PatientCount}: give 1 to {MaxPatients}"));
        if (MaxInFlight < 1) return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--max-in-flight {MaxInFlight}: give at least 1"));
        if (Data is { } data && !Directory.Exists(data)) return ValidationResult.Error($"--data {data}: no such folder");
        return ValidationResult.Success();
    }

    public FleetOptions Fleet() => new(Monitors, Speed, Seed, MaxInFlight: MaxInFlight);

    /// <summary>The recordings to replay: the first --patients records of --data, or as many synthetic patients (no more than monitors).</summary>
    public PatientPool Patients() => Data is { } data
        ? Live.PatientPool.FromSource(new WfdbDirectorySource(data), PatientCount)
        : Live.PatientPool.Synthetic(Seed, Math.Min(PatientCount, Monitors));
}
