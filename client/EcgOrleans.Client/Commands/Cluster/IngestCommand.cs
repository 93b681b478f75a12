using System.Globalization;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Ml.ClassMaps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary>
/// <c>ecg ingest</c>: streams records into a run, several at once, with a progress bar. An in-process run ends with the
/// process, so it ends with the maps table <c>ecg maps</c> prints; --out writes the run (counts, confusion, maps, PNGs).
/// </summary>
internal sealed class IngestCommand : AsyncCommand<IngestSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IngestSettings settings, CancellationToken cancellation)
    {
        if (!settings.HasData())
        {
            AnsiConsole.MarkupLine(RecordOptions.NoDataHelp("ingest --run NAME"));
            return 2;
        }
        var source = settings.Open();
        await using var session = await ClusterSession.StartAsync(settings, cancellation);
        var config = await session.Grains.GetGrain<IRunGrain>(settings.Run!).Configure(settings.RunRequest());
        AnsiConsole.MarkupLineInterpolated($"run [bold]{config.Name}[/]: model {config.ModelVersion}, {config.Method} saliency of the {config.Target} class, {config.Representation} beats");

        var refusals = new RecordRefusals(settings.KeepGoing);
        var result = await SourceIngestion.IngestAsync(session.Grains, config.Name, source, settings.Parallel, settings.ChunkSeconds, cancellation,
            refusals: refusals);
        AnsiConsole.MarkupLineInterpolated($"{result.Records} records, {result.Beats:N0} beats in {result.Elapsed.TotalSeconds:F1} s: [bold]{result.BeatsPerSecond:N0} beats/s[/]");

        if (session.InProcess || settings.Out is not null)
        {
            var maps = await RunMaps.ReadAsync(session.Grains, config.Name, MapSelection.All, cancellation);
            if (session.InProcess)
            {
                var reference = maps with { Maps = [.. maps.Maps.Where(m => new MapSelection(ClassMapGrouping.Reference, null).Matches(m.Key))] };
                AnsiConsole.Write(MapTables.Single(reference, MapTables.AutoWidth(AnsiConsole.Profile.Width, comparing: false), MapTables.ConsoleHasColour));
            }
            if (settings.Out is { } directory)
            {
                var report = IngestReport.Write(directory, source.Dataset, maps, result, refusals.Refused);
                AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"run written to {Path.GetFullPath(directory)}: {IngestReport.FileName} and {report.Files.Count - 1} PNGs in {config.Name}/")));
            }
        }
        return refusals.Report(source.Records.Count);
    }
}
