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

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
