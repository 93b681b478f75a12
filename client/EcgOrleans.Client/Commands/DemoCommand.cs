using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Demo;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Grains.Hosting;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands;

internal sealed class DemoSettings : DataSettings
{
    public const int DefaultRecords = 4;
    public const double DefaultSeconds = 180;

    [CommandOption("--out <DIR>")]
    [Description("Folder for report.json and the PNGs (default ./ecg-demo-out).")]
    public string Out { get; init; } = "ecg-demo-out";

    [CommandOption("--models <DIR>")]
    [Description("Folder of the checkpoints to compare (default: the bundled models/ beside the program).")]
    public string? Models { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("Records streamed at once (default 2).")]
    public int Parallel { get; init; } = 2;

    [CommandOption("--width <COLUMNS>")]
    [Description("Columns of each sparkline (default: as wide as the console allows).")]
    public int? Width { get; init; }

    /// <summary>The sparkline width: --width, else what fits the console.</summary>
    public int SparklineWidth(bool comparing) => Width ?? MapTables.AutoWidth(AnsiConsole.Profile.Width, comparing);

    public string ModelsFolder => Models ?? new EcgOptions().ModelsFolder;

    /// <summary>With no --data the demo analyses the bundled synthetic records: four of three minutes hold every AAMI class.</summary>
    protected override bool SyntheticByDefault => true;

    protected override int DefaultSyntheticRecords => DefaultRecords;

    protected override double DefaultSyntheticSeconds => DefaultSeconds;

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out needs a folder");
        if (Parallel is < 1 or > 64) return ValidationResult.Error($"--parallel {Parallel}: give 1 to 64");
        if (Width is < MapTables.MinWidth or > MapTables.MaxWidth)
            return ValidationResult.Error($"--width {Width}: give {MapTables.MinWidth} to {MapTables.MaxWidth} columns");
        return base.Validate();
    }
}

/// <summary>
/// <c>ecg demo</c>: the paper's two-model comparison in one process. Starts a silo in-process with the bundled
/// checkpoints, creates one run per model, streams the same records into both, and shows their class maps side by
/// side; writes PNGs and report.json (configs, per-class counts, maps, timings, beats/s) into --out.
/// </summary>
internal sealed class DemoCommand : AsyncCommand<DemoSettings>
{
    /// <summary>The bundled checkpoints compared, as in the paper: the CNN of Kachuee et al. and a deeper 1-D ResNet, both trained on DS1.</summary>
    public static IReadOnlyList<string> Models { get; } = ["kachuee-window-ds1", "resnet-window-ds1"];

    public const string ReportFile = "report.json";

    public override async Task<int> ExecuteAsync(CommandContext context, DemoSettings settings, CancellationToken cancellation)
    {
        var total = Stopwatch.StartNew();
        var modelsFolder = Path.GetFullPath(settings.ModelsFolder);
        CheckModels(modelsFolder);
        var output = Directory.CreateDirectory(settings.Out).FullName;
        var quiet = settings.Json;
        void Say(string markup)
        {
            if (!quiet) AnsiConsole.MarkupLine(markup);
        }

        var clock = Stopwatch.StartNew();
        var source = settings.Open();
        var records = LoadedSource.Load(source, cancellation);
        var recordCounts = records.Records.Select(r => Counts(r, records.Load(r).Annotations)).ToList();
        var expected = Aami.Classes.ToDictionary(c => c.ToString(), c => recordCounts.Sum(r => r.Counts[c.ToString()]));
        var dataSeconds = clock.Elapsed.TotalSeconds;
        Say(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{records.Records.Count} {records.Dataset} records, {expected.Values.Sum():#,0} beats ({Classes(expected)}) in {dataSeconds:0.0} s")));

        clock.Restart();
        await using var session = await ClusterSession.StartAsync(new ClusterSettings { InProcess = true }, cancellation,
            new Dictionary<string, string?> { ["Ecg:Models"] = modelsFolder });
        var siloSeconds = clock.Elapsed.TotalSeconds;
        Say(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"silo started in-process in {siloSeconds:0.0} s with the checkpoints of {modelsFolder}")));

        var runs = new List<(RunConfig Config, Ingestion.Summary Ingest)>();
        foreach (var model in Models)
        {
            var config = await session.Grains.GetGrain<IRunGrain>(model).Configure(new RunRequest(model));
            Say(Markup.Escape($"run {config.Name}: model {config.ModelVersion}, {config.Method} saliency of the {config.Target} class, {config.Representation} beats"));
            var ingest = await Ingestion.IngestAsync(session.Grains, config.Name, records, settings.Parallel, chunkSeconds: 30, cancellation, showProgress: !quiet);
            Say(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"  {ingest.Beats:#,0} beats in {ingest.Elapsed.TotalSeconds:0.0} s: {ingest.BeatsPerSecond:#,0} beats/s")));
            runs.Add((config, ingest));
        }

        var maps = await Task.WhenAll(runs.Select(r => RunMaps.ReadAsync(session.Grains, r.Config.Name, MapSelection.All, cancellation)));
        var (first, second) = (maps[0], maps[1]);
        if (!quiet)
        {
            AnsiConsole.Write(MapTables.Compare(Only(first, ClassMapGrouping.Reference), Only(second, ClassMapGrouping.Reference), settings.SparklineWidth(comparing: true)));
            AnsiConsole.Write(CountsTable(expected, maps));
        }

        clock.Restart();
        var pngFolder = Path.Combine(output, "png");
        if (Directory.Exists(pngFolder)) Directory.Delete(pngFolder, recursive: true);
        var files = MapPlots.SaveAll(Only(first, ClassMapGrouping.Reference, ClassMapGrouping.Predicted),
            Only(second, ClassMapGrouping.Reference, ClassMapGrouping.Predicted), pngFolder).ToList();
        var plotSeconds = clock.Elapsed.TotalSeconds;

        var reportPath = Path.Combine(output, ReportFile);
        var ingestSeconds = runs.Sum(r => r.Ingest.Elapsed.TotalSeconds);
        var report = new DemoReport(
            records.Dataset,
            source is SyntheticSource synthetic
                ? new DemoSource("synthetic", synthetic.Seed, records.Records.Count, synthetic.Seconds, null)
                : new DemoSource("wfdb", null, records.Records.Count, null, settings.Data is { } d ? Path.GetFullPath(d) : null),
            recordCounts,
            expected,
            [.. runs.Zip(maps, (r, m) => new DemoRun(r.Config.Name, r.Config.ModelVersion, r.Config.Method, r.Config.Target, r.Config.Representation,
                r.Config.WaveformLength, r.Config.RhythmFeatures,
                ClassCounts.Of(m.Maps, ClassMapGrouping.Reference), ClassCounts.Of(m.Maps, ClassMapGrouping.Predicted),
                r.Ingest.Beats, Math.Round(r.Ingest.Elapsed.TotalSeconds, 3), Math.Round(r.Ingest.BeatsPerSecond, 1)))],
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
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"demo finished in {total.Elapsed.TotalSeconds:0.0} s: {beats:#,0} beats scored with saliency in {ingestSeconds:0.0} s ({beats / Math.Max(ingestSeconds, 1e-9):#,0} beats/s on {Environment.ProcessorCount} cores{load})")));
        return 0;
    }

    /// <summary>Both checkpoints must be there before a silo starts: a missing model would only show as an unknown-model error later.</summary>
    private static void CheckModels(string folder)
    {
        var missing = Models.Where(m => !File.Exists(Path.Combine(folder, m + ".ckpt"))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"the demo compares the checkpoints {string.Join(" and ", Models.Select(m => m + ".ckpt"))}; " +
                $"{string.Join(", ", missing.Select(m => m + ".ckpt"))} not found in {folder} (point --models at a folder that holds them)");
        }
    }

    private static RecordCounts Counts(string record, IEnumerable<Signal.Wfdb.Annotation> annotations)
    {
        var counts = Aami.Classes.ToDictionary(c => c.ToString(), _ => 0L);
        foreach (var mark in RecordBeats.Marks(annotations)) counts[mark.Reference!.Value.ToString()]++;
        return new RecordCounts(record, counts, counts.Values.Sum());
    }

    private static RunMaps Only(RunMaps run, params ClassMapGrouping[] groupings)
    {
        var names = groupings.Select(ClassMapKey.GroupingName).ToHashSet();
        return run with { Maps = [.. run.Maps.Where(m => names.Contains(m.Key[..Math.Max(0, m.Key.IndexOf('/'))]))] };
    }

    private static string Classes(IReadOnlyDictionary<string, long> counts) =>
        string.Join(" ", counts.Select(c => $"{c.Key} {c.Value.ToString("#,0", CultureInfo.InvariantCulture)}"));

    private static Table CountsTable(IReadOnlyDictionary<string, long> reference, IReadOnlyList<RunMaps> runs)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("beats per class: annotated, and predicted by each model");
        table.AddColumn("");
        foreach (var c in Aami.Classes) table.AddColumn(new TableColumn(c.ToString()).RightAligned());
        table.AddRow(["reference", .. Aami.Classes.Select(c => reference[c.ToString()].ToString("#,0", CultureInfo.InvariantCulture))]);
        foreach (var run in runs)
        {
            var predicted = ClassCounts.Of(run.Maps, ClassMapGrouping.Predicted);
            table.AddRow([Markup.Escape(run.Name), .. Aami.Classes.Select(c => predicted[c.ToString()].ToString("#,0", CultureInfo.InvariantCulture))]);
        }
        return table;
    }
}
