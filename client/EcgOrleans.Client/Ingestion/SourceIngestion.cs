using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
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
    /// <summary>How often a log (no terminal) gets a line of totals.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

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

        var tally = new IngestTally(source.Records.Count);

        Task UploadAll(Func<string, int, ProgressTask?> track, Action<string, long> recordDone) =>
            Parallel.ForEachAsync(source.Records,
                new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellation },
                async (name, token) =>
                {
                    if (refusals is null) await Upload(name, track, token);
                    else await refusals.TryAsync(name, () => Upload(name, track, token));
                    // A refused record is over too: the overall count moves past it.
                    recordDone(name, tally.Finish(name));
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
                    tally.Report(name, ack.Beats, expected);
                    foreach (var ms in ack.BatchMilliseconds ?? []) latencies.Enqueue(ms);
                }, token);
            }
            catch (EcgRequestException e) when (refusals is not null && e.Code == EcgRequestException.Codes.InvalidChunk)
            {
                // A chunk the record grain refuses is bad data in that record, not a fault of the cluster.
                throw new RecordRefusedException(new RefusedRecord(name, record.Header.Signals[record.PrimaryLead].FileName, e.Message), e);
            }
            tally.Report(name, done.Beats, expected);
            task?.Value = expected;
            task?.StopTask();
            Interlocked.Add(ref beats, done.Beats);
        }

        if (!showProgress)
        {
            await UploadAll((_, _) => null, (_, _) => { });
        }
        else if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // A log or a pipe: a line per record as it finishes and a total every few seconds; no bars that would
            // stay behind at whatever they showed when they were printed.
            using var totals = new Timer(_ => Say(tally.Line(stopwatch.Elapsed)), null, LogInterval, LogInterval);
            await UploadAll((_, _) => null, (name, recordBeats) =>
                Say(string.Create(CultureInfo.InvariantCulture, $"{name} {(IsRefused(name) ? "refused" : $"done: {recordBeats:#,0} beats")}; {tally.Line(stopwatch.Elapsed)}")));
        }
        else
        {
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    // The overall bar moves with the beats of every record under way, not only with finished records.
                    var total = progress.AddTask($"[bold]{source.Dataset}[/]: {source.Records.Count} records", maxValue: source.Records.Count);
                    void Refresh(string? name, long _)
                    {
                        total.Value = tally.RecordsDone;
                        total.Description = $"[bold]{source.Dataset}[/]: {tally.Finished}/{source.Records.Count} records, " +
                            $"{tally.Beats / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9):N0} beats/s";
                    }
                    using var refresh = new Timer(_ => Refresh(null, 0), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
                    await UploadAll((name, expected) => progress.AddTask(name, maxValue: expected), Refresh);
                    Refresh(null, 0);
                });
        }
        return new Summary(Ingested(), beats, stopwatch.Elapsed, [.. latencies]);

        static void Say(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));

        bool IsRefused(string name) => refusals?.Refused.Any(r => r.Record == name) == true;

        int Ingested() => source.Records.Count - (refusals?.Refused.Count ?? 0);
    }
}
