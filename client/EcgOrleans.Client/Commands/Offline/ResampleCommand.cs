using System.Diagnostics;
using System.Globalization;
using EcgOrleans.Client.Data;
using EcgOrleans.Signal.Resampling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>
/// <c>ecg resample</c>: a WFDB copy of records at another sampling rate (<see cref="WfdbResampler"/>): signals
/// through a polyphase anti-aliasing filter, header updated, annotations moved to the nearest new sample.
/// </summary>
internal sealed class ResampleCommand : Command<ResampleSettings>
{
    public override int Execute(CommandContext context, ResampleSettings settings, CancellationToken cancellation)
    {
        var source = RecordSelection.Open(settings.Data!, settings.Records, settings.Split);
        var output = Directory.CreateDirectory(settings.Out!).FullName;
        var to = settings.To!.Value;
        var refusals = new RecordRefusals(settings.KeepGoing);
        var clock = Stopwatch.StartNew();
        var gate = new Lock();
        var copies = refusals.ForEach(source.Records, name =>
        {
            var copy = WfdbResampler.ResampleFiles(source.Directory, name, output, to);
            lock (gate)
            {
                AnsiConsole.MarkupLine(Markup.Escape(Line(name, copy)));
                foreach (var warning in copy.Warnings) AnsiConsole.MarkupLineInterpolated($"[yellow]  warning: {warning}[/]");
            }
            return copy;
        }, cancellation);

        var written = copies.Count(c => c is not null);
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{written} of {source.Records.Count} records written at {to:0.###} Hz to {output} in {clock.Elapsed.TotalSeconds:0.0} s")));
        return refusals.Report(source.Records.Count);
    }

    /// <summary>"100: 231112 samples at 128 Hz, 100.hea 100.dat 100.atr, 2274 annotations".</summary>
    private static string Line(string record, WfdbResampleResult copy)
    {
        var annotations = copy.Annotations.Count == 0 ? "no annotations" : string.Join(", ", copy.Annotations.Select(a => $"{a.Value} annotations ({a.Key})"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{record}: {copy.Header.SampleCount} samples at {copy.Header.SamplingFrequency:0.###} Hz, {string.Join(" ", copy.Files)}, {annotations}");
    }
}
