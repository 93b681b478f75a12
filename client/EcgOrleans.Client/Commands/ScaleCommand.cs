using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Demo;
using EcgOrleans.Client.Scaling;
using Orleans.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands;

internal sealed class ScaleSettings : DataSettings
{
    [CommandOption("--silos <LIST>")]
    [Description("Silo counts to measure, e.g. 1,2,4 (silo processes on this machine).")]
    public string Silos { get; init; } = "1,2,4";

    [CommandOption("--model <MODEL>")]
    public string Model { get; init; } = RunDefaults.Model;

    [CommandOption("--models <DIR>")]
    [Description("Checkpoints the silos register (default: the bundled models/ beside the program).")]
    public string? Models { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("Records streamed at once (default 6).")]
    public int Parallel { get; init; } = 6;

    [CommandOption("--out <DIR>")]
    [Description("Folder for scale.json and scale.png (default ./ecg-scale-out).")]
    public string Out { get; init; } = "ecg-scale-out";

    [CommandOption("--cores <N>")]
    [Description("Cores per machine for the projection (default: this machine's).")]
    public int Cores { get; init; } = Environment.ProcessorCount;

    public IReadOnlyList<int> SiloCounts =>
        [.. Silos.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).Distinct().Order()];

    protected override bool SyntheticByDefault => true;

    protected override int DefaultSyntheticRecords => 12;

    protected override double DefaultSyntheticSeconds => 300;

    public override ValidationResult Validate()
    {
        if (!Silos.Split(',', StringSplitOptions.RemoveEmptyEntries).All(s => int.TryParse(s.Trim(), out var n) && n is >= 1 and <= 16))
            return ValidationResult.Error($"--silos '{Silos}': give silo counts from 1 to 16, comma-separated");
        if (!SiloCounts.Contains(1)) return ValidationResult.Error("--silos must include 1: the projection starts from one silo");
        if (Parallel is < 1 or > 256) return ValidationResult.Error("--parallel must be between 1 and 256");
        if (Cores < 1) return ValidationResult.Error("--cores must be at least 1");
        return base.Validate();
    }
}

/// <summary>
/// <c>ecg scale</c>: the scaling analysis. For each silo count it starts that many silo processes here, streams a
/// fixed workload through them, and measures beats/s, batch latency, CPU per silo and messages per beat; then it
/// fits <see cref="ScalingModel"/> and projects what N machines would give. Table, scale.json and scale.png.
/// </summary>
internal sealed class ScaleCommand : AsyncCommand<ScaleSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ScaleSettings settings, CancellationToken cancellation)
    {
        var source = settings.OpenSource();
        if (source is null) return 2;
        var records = LoadedSource.Load(source, cancellation);
        var models = settings.Models is null ? null : Path.GetFullPath(settings.Models);
        var points = new List<ScalePoint>();
        foreach (var count in settings.SiloCounts)
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]{count}[/] silo(s): starting");
            points.Add(await MeasureAsync(count, records, settings, models, cancellation));
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

    private static async Task<ScalePoint> MeasureAsync(int count, LoadedSource records, ScaleSettings settings, string? models, CancellationToken cancellation)
    {
        await using var silos = await LocalSilos.StartAsync(count, models, cancellation);
        var connect = new ClusterSettings { Gateway = string.Join(',', silos.GatewayPorts.Select(p => $"127.0.0.1:{p}")), ClusterId = silos.ClusterId };
        await using var session = await ClusterSession.StartAsync(connect, cancellation);
        var management = session.Grains.GetGrain<IManagementGrain>(0);
        var hosts = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        if (hosts.Length != count) throw new InvalidOperationException($"{hosts.Length} silos are active, {count} were started");

        // Warm-up outside the timing: model activations on every silo, JIT, first class maps.
        var warm = await session.Grains.GetGrain<IRunGrain>("scale-warmup").Configure(new RunRequest(settings.Model));
        await Ingestion.IngestAsync(session.Grains, warm.Name, records.Subset([records.Records[0]]),
            settings.Parallel, chunkSeconds: 30, cancellation, showProgress: false);

        var run = await session.Grains.GetGrain<IRunGrain>("scale").Configure(new RunRequest(settings.Model));
        await Task.Delay(500, cancellation); // the silos report their message counts every 250 ms
        var cpuBefore = silos.CpuSeconds();
        var messagesBefore = silos.Messages();
        var summary = await Ingestion.IngestAsync(session.Grains, run.Name, records, settings.Parallel, chunkSeconds: 30, cancellation, showProgress: false);
        var cpuAfter = silos.CpuSeconds();
        await Task.Delay(500, cancellation);
        var messagesAfter = silos.Messages();

        return new ScalePoint(count, summary.Beats, summary.Elapsed.TotalSeconds, [.. cpuAfter.Zip(cpuBefore, (a, b) => a - b)],
            messagesAfter.All - messagesBefore.All, messagesAfter.Remote - messagesBefore.Remote,
            messagesAfter.RemoteBytes - messagesBefore.RemoteBytes, summary.BatchMilliseconds);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
