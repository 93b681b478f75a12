using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Demo;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Hosting;

/// <summary>
/// <c>ecg demo</c>: the paper's two-model comparison in one process. Starts a silo in-process with the bundled
/// checkpoints, creates one run per model, streams the same records into both, and shows their class maps side by
/// side; writes PNGs and report.json (configs, per-class counts, maps, timings, beats/s) into --out.
/// </summary>
internal sealed class DemoCommand : AsyncCommand<DemoSettings>
{
    /// <summary>The bundled checkpoints compared (<see cref="DemoParts.Models"/>).</summary>
    public static IReadOnlyList<string> Models => DemoParts.Models;

    public const string ReportFile = "report.json";

    public override async Task<int> ExecuteAsync(CommandContext context, DemoSettings settings, CancellationToken cancellation)
    {
        var total = Stopwatch.StartNew();
        var modelsFolder = Path.GetFullPath(settings.ModelsFolder);
        DemoParts.CheckModels(modelsFolder);
        var output = Directory.CreateDirectory(settings.Out).FullName;
        var quiet = settings.Json;
        void Say(FormattableString line)
        {
            if (!quiet) AnsiConsole.MarkupLine(Markup.Escape(line.ToString(CultureInfo.InvariantCulture)));
        }

        var clock = Stopwatch.StartNew();
        var source = settings.Open();
        var records = LoadedSource.Load(source, cancellation);
        var recordCounts = records.Records.Select(r => DemoParts.Counts(r, records.Load(r).Annotations)).ToList();
        var expected = Aami.Classes.ToDictionary(c => c.ToString(), c => recordCounts.Sum(r => r.Counts[c.ToString()]));
        var dataSeconds = clock.Elapsed.TotalSeconds;
        Say($"{records.Records.Count} {records.Dataset} records, {expected.Values.Sum():#,0} beats ({DemoParts.Classes(expected)}) in {dataSeconds:0.0} s");

        clock.Restart();
        await using var session = await ClusterSession.StartAsync(new ClusterSettings { InProcess = true }, cancellation,
            new Dictionary<string, string?> { ["Ecg:Models"] = modelsFolder });
        var siloSeconds = clock.Elapsed.TotalSeconds;
        Say($"silo started in-process in {siloSeconds:0.0} s with the checkpoints of {modelsFolder}");

        var runs = new List<(RunConfig Config, SourceIngestion.Summary Ingest)>();
        foreach (var model in Models)
        {
            var config = await session.Grains.GetGrain<IRunGrain>(model).Configure(new RunRequest(model));
            Say($"run {config.Name}: model {config.ModelVersion}, {config.Method} saliency of the {config.Target} class, {config.Representation} beats");
            var ingest = await SourceIngestion.IngestAsync(session.Grains, config.Name, records, settings.Parallel, chunkSeconds: 30, cancellation, showProgress: !quiet);
            Say($"  {ingest.Beats:#,0} beats in {ingest.Elapsed.TotalSeconds:0.0} s: {ingest.BeatsPerSecond:#,0} beats/s");
            runs.Add((config, ingest));
        }

        var maps = await Task.WhenAll(runs.Select(r => RunMaps.ReadAsync(session.Grains, r.Config.Name, MapSelection.All, cancellation)));
        var (first, second) = (maps[0], maps[1]);
        if (!quiet)
        {
            AnsiConsole.Write(MapTables.Compare(DemoParts.Only(first, ClassMapGrouping.Reference), DemoParts.Only(second, ClassMapGrouping.Reference),
                settings.SparklineWidth(comparing: true), MapTables.ConsoleHasColour));
            AnsiConsole.Write(DemoParts.CountsTable(expected, maps));
        }

        clock.Restart();
        var pngFolder = Path.Combine(output, "png");
        if (Directory.Exists(pngFolder)) Directory.Delete(pngFolder, recursive: true);
        var files = MapPlots.SaveAll(DemoParts.Only(first, ClassMapGrouping.Reference, ClassMapGrouping.Predicted),
            DemoParts.Only(second, ClassMapGrouping.Reference, ClassMapGrouping.Predicted), pngFolder).ToList();
        var plotSeconds = clock.Elapsed.TotalSeconds;

        var reportPath = Path.Combine(output, ReportFile);
        var ingestSeconds = runs.Sum(r => r.Ingest.Elapsed.TotalSeconds);
        var report = new DemoReport(records.Dataset, DemoSource.Of(source, settings.Data), recordCounts, expected,
            [.. runs.Zip(maps, (r, m) => DemoRun.Of(r.Config, r.Ingest, m))],
            MapsReport.Of(first, second),
            new DemoTimings(Math.Round(dataSeconds, 3), Math.Round(siloSeconds, 3), Math.Round(ingestSeconds, 3), Math.Round(plotSeconds, 3),
                Math.Round(total.Elapsed.TotalSeconds, 3)),
            DemoMachine.Current(),
            [ReportFile, .. files.Select(f => Path.GetRelativePath(output, f))]);
        await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(report, JsonOutput.Options), cancellation);

        if (quiet)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, JsonOutput.Options));
            return 0;
        }
        var beats = runs.Sum(r => r.Ingest.Beats);
        var load = report.Machine.LoadAverage is { } l ? string.Create(CultureInfo.InvariantCulture, $", load average {l:0.0}") : "";
        AnsiConsole.MarkupLineInterpolated($"[green]report[/]  {reportPath}");
        AnsiConsole.MarkupLineInterpolated($"[green]plots[/]   {pngFolder}/ ({files.Count} PNGs: one per map of each run, and each pair side by side in {first.Name}-vs-{second.Name}/)");
        Say($"demo finished in {total.Elapsed.TotalSeconds:0.0} s: {beats:#,0} beats scored with saliency in {ingestSeconds:0.0} s ({beats / Math.Max(ingestSeconds, 1e-9):#,0} beats/s on {Environment.ProcessorCount} cores{load})");
        return 0;
    }
}
