using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary>The options of <c>ecg watch</c>.</summary>
internal sealed class WatchSettings : MapViewSettings
{
    [CommandOption("--seconds <S>")]
    [Description("Stop after S seconds (default: watch until Ctrl+C).")]
    public double? Seconds { get; init; }

    [CommandOption("--refresh <S>")]
    [Description("Seconds between screen updates and checks for new maps (default 1).")]
    public double Refresh { get; init; } = 1;

    public override ValidationResult Validate()
    {
        if (Seconds is { } s && !(s > 0 && double.IsFinite(s)))
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--seconds {s}: give a positive number of seconds"));
        if (!(Refresh is >= 0.1 and <= 60))
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture, $"--refresh {Refresh}: give 0.1 to 60 seconds"));
        return base.Validate();
    }
}
