using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Pipeline;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Grains.Tests;

/// <summary>Streams a record into a record grain the way a client does, with hooks to misbehave.</summary>
internal static class RecordDriver
{
    /// <summary>Sends every chunk; after an accepted chunk calls <paramref name="afterChunk"/>; resumes where the grain says.</summary>
    /// <returns>How many times the grain sent the driver back to an earlier chunk.</returns>
    public static async Task<int> StreamAsync(IGrainFactory grains, string run, string dataset, WfdbRecord record, int chunkSamples,
        Func<IRecordGrain, ChunkPlan, long, Task>? afterChunk = null, int flushEvery = 0)
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
        }
    }
}
