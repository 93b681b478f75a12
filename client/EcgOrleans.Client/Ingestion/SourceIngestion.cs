using System.Collections.Concurrent;
using System.Diagnostics;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Data;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using Spectre.Console;

namespace EcgOrleans.Client.Ingestion;

/// <summary>Streams the records of a source into a run, several at once, with a live progress display.</summary>
internal static class SourceIngestion
{
    /// <param name="Records">Records ingested (refused ones not counted).</param>
    /// <param name="BatchMilliseconds">Time each batch took to score and merge, as the record grains measured it.</param>
    public sealed record Summary(int Records, long Beats, TimeSpan Elapsed, IReadOnlyList<float> BatchMilliseconds)
    {
        public double BeatsPerSecond => Beats / Math.Max(Elapsed.TotalSeconds, 1e-9);
    }

    /// <param name="refusals">
    /// Where records that cannot be read, or that the record grain refuses, are noted (the ingest goes on past them
    /// with --keep-going); null: their errors stop the ingest as they are.
    /// </param>
    public static async Task<Summary> IngestAsync(IGrainFactory grains, string run, IRecordSource source, int parallel,
        double chunkSeconds, CancellationToken cancellation, bool showProgress = true, RecordRefusals? refusals = null)
    {
        var uploader = new RecordUploader(grains, ClientResilience.Create());
        var stopwatch = Stopwatch.StartNew();
        long beats = 0;
        var latencies = new ConcurrentQueue<float>();

        Task UploadAll(Func<string, int, ProgressTask?> track, Action recordDone) =>
            Parallel.ForEachAsync(source.Records,
                new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellation },
                async (name, token) =>
                {
                    if (refusals is null) await Upload(name, track, token);
                    else await refusals.TryAsync(name, () => Upload(name, track, token));
                    recordDone();
                });

        async Task Upload(string name, Func<string, int, ProgressTask?> track, CancellationToken token)
        {
            var record = source.Load(name);
            var plan = new ChunkPlan(record, Math.Max(1, (int)(chunkSeconds * record.Header.SamplingFrequency)));
            var expected = Math.Max(1, RecordBeats.Marks(record.Annotations).Length);
            var task = track(name, expected);
            UploadResult done;
            try
            {
                done = await uploader.UploadAsync(run, source.Dataset, plan, ack =>
                {
                    task?.Value = Math.Min(ack.Beats, expected);
                    foreach (var ms in ack.BatchMilliseconds ?? []) latencies.Enqueue(ms);
                }, token);
            }
            catch (EcgRequestException e) when (refusals is not null && e.Code == EcgRequestException.Codes.InvalidChunk)
            {
                // A chunk the record grain refuses is bad data in that record, not a fault of the cluster.
                throw new RecordRefusedException(new RefusedRecord(name, record.Header.Signals[record.PrimaryLead].FileName, e.Message), e);
            }
            task?.Value = expected;
            task?.StopTask();
            Interlocked.Add(ref beats, done.Beats);
        }

        if (!showProgress)
        {
            await UploadAll((_, _) => null, () => { });
            return new Summary(Ingested(), beats, stopwatch.Elapsed, [.. latencies]);
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
        return new Summary(Ingested(), beats, stopwatch.Elapsed, [.. latencies]);

        int Ingested() => source.Records.Count - (refusals?.Refused.Count ?? 0);
    }
}
