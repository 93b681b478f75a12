using System.ComponentModel;
using System.Globalization;
using EcgOrleans.Client.Data;
using EcgOrleans.Signal.Qrs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg qrs</c>.</summary>
internal sealed class QrsSettings : DataSettings
{
    [CommandOption("--start <SECONDS>")]
    [Description("Start of the scored period; the time before it is the learning period (default 300, as bxb).")]
    public double Start { get; init; } = BeatComparisonOptions.Standard.StartSeconds;

    [CommandOption(RecordRefusals.Option), Description(RecordRefusals.Description)]
    public bool KeepGoing { get; init; }

    /// <summary>Synthetic records long enough to score 5 minutes after the learning period.</summary>
    protected override double DefaultSyntheticSeconds => Start + 300;

    public override ValidationResult Validate()
    {
        if (!(Start >= 0) || double.IsInfinity(Start))
            return ValidationResult.Error($"--start must be a non-negative number of seconds, not {Start.ToString(CultureInfo.InvariantCulture)}");
        if (UsesSynthetic && SyntheticSeconds <= Start)
            return ValidationResult.Error(string.Create(CultureInfo.InvariantCulture,
                $"synthetic records of {SyntheticSeconds} s end before the scored period starts (--start {Start}): give a longer --seconds or a smaller --start"));
        return base.Validate();
    }
}
