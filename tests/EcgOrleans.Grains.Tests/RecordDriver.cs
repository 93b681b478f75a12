using System.Collections.Concurrent;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Signal.Wfdb;
using Orleans.Core.Internal;

namespace EcgOrleans.Grains.Tests;

/// <summary>Streams a record into a record grain the way a client does, with hooks to misbehave.</summary>
internal static class RecordDriver
{
    /// <summary>Sends every chunk; after an accepted chunk calls <paramref name="afterChunk"/>; resumes where the grain says.</summary>
    /// <param name="retryFailures">Re-send a chunk whose call failed for any other reason (as the client's retry policy does).</param>
    /// <returns>How many times the grain sent the driver back to an earlier chunk, plus the failed calls re-sent.</returns>
    public static async Task<int> StreamAsync(IGrainFactory grains, string run, string dataset, WfdbRecord record, int chunkSamples,
        Func<IRecordGrain, ChunkPlan, long, Task>? afterChunk = null, int flushEvery = 0, bool retryFailures = false)
    {
        var plan = new ChunkPlan(record, chunkSamples);
        var grain = grains.GetGrain<IRecordGrain>(GrainKeys.Record(run, dataset, record.Name));
        long next = 0;
        var resumes = 0;
        while (true)
        {
            try
            {
                var ack = await grain.Append(plan.Chunk(next, flush: flushEvery > 0 && next % flushEvery == flushEvery - 1));
                if (ack.Done) return resumes;
                if (afterChunk is not null) await afterChunk(grain, plan, next);
                next = ack.NextSequence;
            }
            catch (EcgRequestException e) when (e.Code == EcgRequestException.Codes.ChunkOutOfOrder)
            {
                next = e.ExpectedSequence!.Value;
                resumes++;
            }
            catch (EcgRequestException e) when (e.Code == EcgRequestException.Codes.RecordComplete)
            {
                // The last chunk was committed although its call failed (as a client learns it): done, once the record
                // has resolved what it published.
                await grain.GetProgress();
                return resumes;
            }
            catch (Exception e) when (retryFailures && e is not EcgRequestException)
            {
                resumes++;
            }
        }
    }
}

/// <summary>
/// Deactivates a record grain, and a class map with it, after a chunk: the record grain forgets everything after its
/// last commit point and sends the driver back there. Each chunk of a record deactivates at most once, so the chunks
/// re-sent after the rollback go through and the record progresses however far apart its commit points lie.
/// </summary>
internal sealed class Deactivator(IGrainFactory grains, string classMapKey)
{
    private readonly ConcurrentDictionary<(string Record, long Sequence), bool> _done = new();
    private int _count;

    public int Count => _count;

    public async Task After(IRecordGrain grain, long sequence)
    {
        if (!_done.TryAdd((grain.GetPrimaryKeyString(), sequence), true)) return;
        Interlocked.Increment(ref _count);
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await grains.GetGrain<IClassMapGrain>(classMapKey).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
    }
}
