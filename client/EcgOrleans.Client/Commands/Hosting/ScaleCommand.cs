using System.Globalization;
using System.Text.Json;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Demo;
using EcgOrleans.Client.Scaling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Hosting;

/// <summary>
/// <c>ecg scale</c>: the scaling analysis. For each silo count it starts that many silo processes here, streams a
/// fixed workload through them, and measures beats/s, batch latency, CPU per silo and messages per beat; then it
/// fits <see cref="ScalingModel"/> and projects what N machines would give. Table, scale.json and scale.png.
/// </summary>
internal sealed class ScaleCommand : AsyncCommand<ScaleSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ScaleSettings settings, CancellationToken cancellation)
    {
        if (settings.Live) return await LiveAsync(settings, cancellation);
        var source = settings.OpenSource("scale");
        if (source is null) return 2;
        var records = LoadedSource.Load(source, cancellation);
        var models = settings.Models is null ? null : Path.GetFullPath(settings.Models);
        var points = new List<ScalePoint>();
        foreach (var count in settings.SiloCounts)
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]{count}[/] silo(s): starting");
            points.Add(await ScaleMeasurement.MeasureAsync(count, records, settings.Model, settings.Parallel, models, cancellation));
            var p = points[^1];
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"  {p.Beats:#,0} beats in {p.Seconds:0.0} s: [bold]{p.BeatsPerSecond:#,0} beats/s[/], batch p50 {p.BatchP50:0} ms, p99 {p.BatchP99:0} ms");
        }

        var model = ScalingModel.Fit(points, settings.Cores);
        var output = Directory.CreateDirectory(settings.Out).FullName;
        var report = ScaleReport.Create(points, model, records.Dataset, settings.Model, LoadAverage());
        await File.WriteAllTextAsync(Path.Combine(output, "scale.json"), JsonSerializer.Serialize(report, JsonOutput.Options), cancellation);
        ScalePlot.Write(Path.Combine(output, "scale.png"), points, model);

        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, JsonOutput.Options));
            return 0;
        }
        AnsiConsole.Write(ScaleReport.MeasuredTable(points));
        AnsiConsole.Write(ScaleReport.ProjectionTable(model));
        AnsiConsole.MarkupLineInterpolated($"wrote {Path.Combine(output, "scale.json")} and {Path.Combine(output, "scale.png")}");
        return 0;
    }

    /// <summary>The live workload per silo count, then the projection of machines, Redis writes and merges for large fleets.</summary>
    private static async Task<int> LiveAsync(ScaleSettings settings, CancellationToken cancellation)
    {
        var models = settings.Models is null ? null : Path.GetFullPath(settings.Models);
        var points = new List<ScalePoint>();
        foreach (var count in settings.SiloCounts)
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]{count}[/] silo(s): {settings.Monitors:#,0} monitors at real time for {settings.LiveSeconds:0} s");
            points.Add(await ScaleMeasurement.MeasureLiveAsync(count, settings.Monitors, settings.LiveSeconds, settings.Model, models, cancellation));
            var p = points[^1];
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"  {p.Beats:#,0} beats in {p.Seconds:0.0} s: [bold]{p.BeatsPerSecond:#,0} beats/s[/], lag at the end {p.Lag?.TotalSeconds:0.0} s, chunk send to acknowledgement p50 {p.BatchP50:0} ms, p99 {p.BatchP99:0} ms");
        }

        // The measured utilisation is the fleet's load, not the silo's capacity: project at the planned one.
        var model = ScalingModel.Fit(points, settings.Cores) with { Utilisation = LiveProjection.TargetUtilisation };
        var single = points.First(p => p.Silos == 1);
        var beatsPerMonitor = single.BeatsPerSecond / settings.Monitors;
        var projections = LiveProjection.ProjectedMonitors
            .Select(n => LiveProjection.For(n, model, beatsPerMonitor, LiveProjection.ClassMapsPerRun, LiveProjection.PublishInterval)).ToList();
        var output = Directory.CreateDirectory(settings.Out).FullName;
        var report = ScaleReport.Create(points, model, $"live, {settings.Monitors} monitors", settings.Model, LoadAverage());
        await File.WriteAllTextAsync(Path.Combine(output, "scale.json"),
            JsonSerializer.Serialize(new { report, beatsPerMonitorSecond = beatsPerMonitor, live = projections }, JsonOutput.Options), cancellation);
        ScalePlot.Write(Path.Combine(output, "scale.png"), points, model);
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { report, beatsPerMonitorSecond = beatsPerMonitor, live = projections }, JsonOutput.Options));
            return 0;
        }
        AnsiConsole.Write(ScaleReport.MeasuredTable(points));
        AnsiConsole.Write(ScaleReport.ProjectionTable(model));
        AnsiConsole.Write(LiveTable(projections, beatsPerMonitor));
        AnsiConsole.MarkupLineInterpolated($"wrote {Path.Combine(output, "scale.json")} and {Path.Combine(output, "scale.png")}");
        return 0;
    }

    private static Table LiveTable(IEnumerable<LiveProjection> projections, double beatsPerMonitor)
    {
        var table = new Table().Title(string.Create(CultureInfo.InvariantCulture,
                $"live fleets: {beatsPerMonitor:0.00} beats/s per monitor, one chunk/s each, {LiveProjection.ClassMapsPerRun} class maps, an epoch per {LiveProjection.PublishInterval.TotalMilliseconds:0} ms per silo"))
            .AddColumns("monitors", "beats/s", "machines", "Redis writes/s", "class-map merges/s", "merges/s per map");
        foreach (var p in projections)
        {
            table.AddRow(F(p.Monitors, "#,0"), F(p.BeatsPerSecond, "#,0"), F(p.Machines, "#,0"), F(p.RedisWritesPerSecond, "#,0"), F(p.MergesPerSecond, "#,0"), F(p.MergesPerMapPerSecond, "#,0"));
        }
        return table;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
