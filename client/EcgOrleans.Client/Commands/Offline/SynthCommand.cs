using System.Diagnostics;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Synthetic;
using EcgOrleans.Signal.Wfdb;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary><c>ecg synth</c>: writes a synthetic database as WFDB files (.hea, .dat in format 212, .atr) that read like MIT-BIH's.</summary>
internal sealed class SynthCommand : Command<SynthSettings>
{
    public override int Execute(CommandContext context, SynthSettings settings, CancellationToken cancellation)
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
