using System.ComponentModel;
using System.Diagnostics;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Grains.Pipeline;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands;

internal sealed class IngestSettings : RunSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Folder of WFDB records (e.g. MIT-BIH).")]
    public string? Data { get; init; }

    [CommandOption("--records <LIST>")]
    public string? Records { get; init; }

    [CommandOption("--split <SPLIT>")]
    [Description("MIT-BIH split: ds1, ds2, paced or all.")]
    public string? Split { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("Records streamed at once.")]
    public int Parallel { get; init; } = 4;

    [CommandOption("--chunk-seconds <S>")]
    public double ChunkSeconds { get; init; } = 30;

    public override ValidationResult Validate()
    {
        if (Run is null) return ValidationResult.Error("--run is required");
        if (Parallel is < 1 or > 256) return ValidationResult.Error("--parallel must be between 1 and 256");
        if (!(ChunkSeconds is > 0 and <= 600)) return ValidationResult.Error("--chunk-seconds must be in (0, 600]");
        return ValidationResult.Success();
    }
}

/// <summary>The run a command streams into and, when it creates the run, the analysis it asks for.</summary>
internal abstract class RunSettings : ClusterSettings
{
    [CommandOption("--run <NAME>")]
    [Description("Run to stream into; created on first use.")]
    public string? Run { get; init; }

    [CommandOption("--model <MODEL>")]
    [Description("Model name (its active version) or name@version, used when the run is created.")]
    public string Model { get; init; } = RunDefaults.Model;

    [CommandOption("--method <METHOD>")]
    [Description("Saliency method: vanilla, gradxinput, smoothgrad, ig, occlusion, gradcam.")]
    public string Method { get; init; } = "vanilla";

    [CommandOption("--target <TARGET>")]
    [Description("Class each map explains: predicted or reference.")]
    public string Target { get; init; } = "predicted";

    public RunRequest RunRequest() => new(Model, Method, Target);
}

internal static class RunDefaults
{
    public const string Model = "kachuee-window-ds1";
}

/// <summary><c>ecg ingest</c>: streams records into a run, several at once, with a progress bar.</summary>
internal sealed class IngestCommand : AsyncCommand<IngestSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IngestSettings settings, CancellationToken cancellation)
    {
        if (settings.Data is null)
        {
            AnsiConsole.MarkupLine(DataSettings.NoDataHelp);
            return 2;
        }
        var source = RecordSelection.Open(settings.Data, settings.Records, settings.Split);
        await using var session = await ClusterSession.StartAsync(settings, cancellation);
        var config = await session.Grains.GetGrain<IRunGrain>(settings.Run!).Configure(settings.RunRequest());
        AnsiConsole.MarkupLineInterpolated($"run [bold]{config.Name}[/]: model {config.ModelVersion}, {config.Method} saliency of the {config.Target} class, {config.Representation} beats");

        var result = await Ingestion.IngestAsync(session.Grains, config.Name, source, settings.Parallel, settings.ChunkSeconds, cancellation);
        AnsiConsole.MarkupLineInterpolated($"{result.Records} records, {result.Beats:N0} beats in {result.Elapsed.TotalSeconds:F1} s: [bold]{result.BeatsPerSecond:N0} beats/s[/]");
        return 0;
    }
}

/// <summary>Streams a set of records into a run with a live progress display.</summary>
internal static class Ingestion
{
    /// <param name="BatchMilliseconds">Time each batch took to score and merge, as the record grains measured it.</param>
    public sealed record Summary(int Records, long Beats, TimeSpan Elapsed, IReadOnlyList<float> BatchMilliseconds)
    {
        public double BeatsPerSecond => Beats / Math.Max(Elapsed.TotalSeconds, 1e-9);
    }

    public static async Task<Summary> IngestAsync(IGrainFactory grains, string run, Signal.Sources.IRecordSource source, int parallel,
        double chunkSeconds, CancellationToken cancellation, bool showProgress = true)
    {
        var uploader = new RecordUploader(grains, ClientResilience.Create());
        var stopwatch = Stopwatch.StartNew();
        long beats = 0;
        var latencies = new System.Collections.Concurrent.ConcurrentQueue<float>();

        Task UploadAll(Func<string, int, ProgressTask?> track, Action recordDone) =>
            System.Threading.Tasks.Parallel.ForEachAsync(source.Records,
                new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellation },
                async (name, token) =>
                {
                    var record = source.Load(name);
                    var plan = new ChunkPlan(record, Math.Max(1, (int)(chunkSeconds * record.Header.SamplingFrequency)));
                    var expected = Math.Max(1, RecordBeats.Marks(record.Annotations).Length);
                    var task = track(name, expected);
                    var done = await uploader.UploadAsync(run, source.Dataset, plan, ack =>
                    {
                        task?.Value = Math.Min(ack.Beats, expected);
                        foreach (var ms in ack.BatchMilliseconds ?? []) latencies.Enqueue(ms);
                    }, token);
                    task?.Value = expected;
                    task?.StopTask();
                    Interlocked.Add(ref beats, done.Beats);
                    recordDone();
                });

        if (!showProgress)
        {
            await UploadAll((_, _) => null, () => { });
            return new Summary(source.Records.Count, beats, stopwatch.Elapsed, [.. latencies]);
        }
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var total = progress.AddTask($"[bold]{source.Dataset}[/]: {source.Records.Count} records", maxValue: source.Records.Count);
                await UploadAll((name, expected) => progress.AddTask(name, maxValue: expected), () =>
                {
                    total.Increment(1);
                    total.Description = $"[bold]{source.Dataset}[/]: {Interlocked.Read(ref beats) / stopwatch.Elapsed.TotalSeconds:N0} beats/s";
                });
            });
        return new Summary(source.Records.Count, beats, stopwatch.Elapsed, [.. latencies]);
    }
}
