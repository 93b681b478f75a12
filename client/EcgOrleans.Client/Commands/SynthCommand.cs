using System.ComponentModel;
using System.Diagnostics;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Synthetic;
using EcgOrleans.Signal.Wfdb;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands;

/// <summary>Writes a synthetic database as WFDB files (.hea, .dat in format 212, .atr) that read like MIT-BIH's.</summary>
internal sealed class SynthCommand : Command<SynthCommand.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("Folder to write the records into (created when missing).")]
        public string? Out { get; init; }

        [CommandOption("--records <N>")]
        [Description("Number of records, named s001, s002, ... (default 8).")]
        public int Records { get; init; } = 8;

        [CommandOption("--seconds <S>")]
        [Description("Length of each record in seconds (default 300).")]
        public double Seconds { get; init; } = 300;

        [CommandOption("--seed <K>")]
        [Description("Seed of the database: the same seed writes the same files (default 1).")]
        public int Seed { get; init; } = 1;

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is required");
            if (Records is < 1 or > 999) return ValidationResult.Error($"--records {Records}: give 1 to 999");
            if (!(Seconds > 0) || Seconds > 24 * 3600) return ValidationResult.Error($"--seconds {Seconds}: give more than 0 and at most 86400");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        var directory = settings.Out!;
        var totals = new int[Aami.ClassCount];
        long samples = 0;
        var generating = TimeSpan.Zero;
        for (var i = 0; i < settings.Records; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var options = SyntheticEcg.RecordOptions(settings.Seed, i);
            var clock = Stopwatch.StartNew();
            var record = SyntheticEcg.Generate(options, SyntheticEcg.RecordName(i), settings.Seconds);
            generating += clock.Elapsed;
            try
            {
                WfdbWriter.Write(directory, record);
            }
            catch (WfdbFormatException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 1;
            }
            var counts = SyntheticEcg.ClassCounts(record.Annotations);
            for (var c = 0; c < totals.Length; c++) totals[c] += counts[c];
            samples += record.SampleCount;
            AnsiConsole.WriteLine($"{record.Name}  {options.HeartRate,5:0.0} bpm  " + string.Join(" ", Aami.Classes.Select(c => $"{c}={counts[(int)c]}")));
        }
        AnsiConsole.WriteLine($"total {settings.Records} records, " + string.Join(" ", Aami.Classes.Select(c => $"{c}={totals[(int)c]}")));
        AnsiConsole.WriteLine($"generated {samples} samples per signal in {generating.TotalSeconds:0.00} s ({samples / generating.TotalSeconds:0} samples/s), written to {Path.GetFullPath(directory)}");
        return 0;
    }
}
