extern alias ecg;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcgOrleans.Abstractions;
using ecg::EcgOrleans.Client.Ingestion;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Tests;

/// <summary>What a non-.NET sender does: records as JSON chunks over HTTP, resuming where a 409 says.</summary>
public static class HttpIngest
{
    /// <summary>A synthetic record (no MIT-BIH needed): <paramref name="index"/> picks the kind of patient (1: frequent V and F beats).</summary>
    public static WfdbRecord Synthetic(int index, double seconds) =>
        new SyntheticSource(seed: 7, records: index + 1, seconds: seconds).Load(Signal.Synthetic.SyntheticEcg.RecordName(index));

    /// <summary>Reference beats per AAMI class (N, S, V, F, Q), as the pipeline should count them.</summary>
    public static long[] ClassCounts(WfdbRecord record) =>
        [.. Aami.Classes.Select(c => (long)RecordBeats.Marks(record.Annotations).Count(m => m.Reference == c))];

    public static object ChunkBody(SignalChunk chunk) => new
    {
        sequence = chunk.Sequence,
        samplingFrequency = chunk.SamplingFrequency,
        samples = chunk.Samples,
        annotations = chunk.Annotations?.Select(a => new { sample = a.Sample, code = (int)a.Code }),
        isLast = chunk.IsLast,
        flush = chunk.Flush,
    };

    public static string ChunksPath(string run, string dataset, string record) => $"/api/runs/{run}/records/{dataset}/{record}/chunks";

    /// <summary>Posts chunks from <paramref name="from"/> to <paramref name="to"/> (exclusive; all when null), resuming where a 409 says.</summary>
    public static async Task<ChunkAck?> SendAsync(HttpClient client, string run, string dataset, WfdbRecord record, int chunkSamples,
        long from = 0, long? to = null, bool flushEach = false, TimeSpan? pause = null)
    {
        var plan = new ChunkPlan(record, chunkSamples);
        var end = to ?? plan.Count;
        ChunkAck? ack = null;
        for (var next = from; next < end;)
        {
            using var response = await client.PostAsJsonAsync(ChunksPath(run, dataset, record.Name), ChunkBody(plan.Chunk(next, flushEach)));
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                next = problem.GetProperty("expectedSequence").GetInt64();
                continue;
            }
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"chunk {next} of {record.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            ack = await response.Content.ReadFromJsonAsync<ChunkAck>(JsonSerializerOptions.Web);
            next = ack!.NextSequence;
            if (pause is { } p) await Task.Delay(p);
        }
        return ack;
    }
}
