using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using Polly;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Client.Ingestion;

/// <summary>What uploading one record did.</summary>
internal sealed record UploadResult(string Record, long Beats, long Chunks, int Resumes);

/// <summary>
/// Streams one record into a run, chunk by chunk, and carries on through failures: when the record grain
/// answers that it expects another chunk (it rolled back to its last commit point, or a retried chunk was
/// already applied), the upload continues from the chunk it names. Chunks are rebuilt from the plan, so
/// nothing needs buffering.
/// </summary>
internal sealed class RecordUploader(IGrainFactory grains, ResiliencePipeline resilience)
{
    private const int MaxResumes = 1000;

    public async Task<UploadResult> UploadAsync(string run, string dataset, ChunkPlan plan, Action<ChunkAck>? acknowledged = null, CancellationToken cancellation = default)
    {
        var grain = grains.GetGrain<IRecordGrain>(GrainKeys.Record(run, dataset, plan.Record));
        var progress = await ProgressAsync(grain, cancellation);
        if (progress.Done) return new UploadResult(plan.Record, progress.BeatsScored, 0, 0);

        var next = progress.NextSequence;
        var resumes = 0;
        long sent = 0;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var chunk = plan.Chunk(next);
            try
            {
                var ack = await resilience.ExecuteAsync(async _ => await grain.Append(chunk), cancellation);
                sent++;
                acknowledged?.Invoke(ack);
                if (ack.Done) return new UploadResult(plan.Record, ack.Beats, sent, resumes);
                next = ack.NextSequence;
            }
            catch (EcgRequestException e) when (e.Code == Codes.ChunkOutOfOrder && e.ExpectedSequence is { } expected && expected < plan.Count)
            {
                if (++resumes > MaxResumes) throw new InvalidOperationException($"record {plan.Record}: gave up after {MaxResumes} resumes", e);
                next = expected;
            }
            catch (EcgRequestException e) when (e.Code == Codes.RecordComplete)
            {
                var done = await ProgressAsync(grain, cancellation);
                return new UploadResult(plan.Record, done.BeatsScored, sent, resumes);
            }
            catch (Exception e) when (ClientResilience.IsTransient(e))
            {
                // Retries ran out for this chunk: ask where the record stands and go on from there.
                if (++resumes > MaxResumes) throw;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
                var standing = await ProgressAsync(grain, cancellation);
                if (standing.Done) return new UploadResult(plan.Record, standing.BeatsScored, sent, resumes); // the last chunk did commit
                next = standing.NextSequence;
            }
        }
    }

    /// <summary>
    /// Where the record stands. A silo killed while it hosts the record grain fails calls until the cluster declares
    /// it dead, which can take longer than one round of retries; like a chunk, the query then waits and asks again.
    /// </summary>
    private async Task<RecordProgress> ProgressAsync(IRecordGrain grain, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await resilience.ExecuteAsync(async _ => await grain.GetProgress(), cancellation);
            }
            catch (Exception e) when (ClientResilience.IsTransient(e) && attempt < MaxResumes)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            }
        }
    }
}
