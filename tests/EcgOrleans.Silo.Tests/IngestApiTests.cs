using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Silo.Api;

namespace EcgOrleans.Silo.Tests;

/// <summary>Records sent as JSON chunks, as a non-.NET sender would: the same chunk semantics as the grains.</summary>
[Collection(SiloCollection.Name)]
public sealed class IngestApiTests(SiloFixture silo)
{
    private const string Dataset = "synthetic";

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_record_sent_over_http_fills_the_class_maps_with_every_beat_once()
    {
        var run = await silo.NewRunAsync();
        var record = HttpIngest.Synthetic(1, seconds: 60);
        var expected = HttpIngest.ClassCounts(record);

        var ack = await HttpIngest.SendAsync(silo.Writer, run, Dataset, record, chunkSamples: 1800);

        Assert.True(ack!.Done);
        Assert.Equal(expected.Sum(), ack.Beats);
        var progress = await silo.ProgressAsync(run, Dataset, record.Name);
        Assert.Equal((true, record.Header.SampleCount, expected.Sum()), (progress.Done, progress.Samples, progress.BeatsScored));

        var maps = await silo.GetAsync<ClassMapSummary[]>($"/api/runs/{run}/maps");
        var reference = maps.Where(m => m.Grouping == "reference").ToDictionary(m => m.Class, m => m.Count);
        foreach (var c in Aami.Classes)
            Assert.Equal(expected[(int)c], reference.GetValueOrDefault(c.ToString()));
        Assert.Equal(expected.Sum(), maps.Where(m => m.Grouping == "predicted").Sum(m => m.Count));
        Assert.Equal(expected.Sum(), maps.Where(m => m.Grouping == "cell").Sum(m => m.Count));
        Assert.All(maps, m => Assert.Equal($"{m.Grouping}/{m.Class}", m.Key));
        Assert.Equal(maps.Where(m => m.Grouping == "cell").Select(m => m.Key).Order(),
            (await silo.GetAsync<ClassMapSummary[]>($"/api/runs/{run}/maps?grouping=cell")).Select(m => m.Key).Order());

        var v = await silo.GetAsync<ClassMapView>($"/api/runs/{run}/maps/reference/V");
        Assert.Equal((run, "reference/V", expected[(int)AamiClass.V]), (v.Run, v.Key, v.Count));
        var length = BeatRepresentation.Window.Length;
        Assert.Equal(length, v.WaveformLength);
        // The test model takes the RR features only: the record grain sends it that prefix of each beat's features.
        Assert.All(new[] { v.SaliencyMean, v.SaliencySd, v.BeatMean, v.BeatSd }, a => Assert.Equal(length + RhythmFeatures.RrCount, a.Length));
        Assert.All(v.SaliencyMean, s => Assert.True(s >= 0 && float.IsFinite(s)));
    }

    [Fact]
    public async Task Chunks_out_of_order_are_409_with_the_expected_sequence_and_a_sender_resumes_from_it()
    {
        var run = await silo.NewRunAsync();
        var record = HttpIngest.Synthetic(0, seconds: 30);
        var plan = new ChunkPlan(record, 1800);
        var path = HttpIngest.ChunksPath(run, Dataset, record.Name);
        await HttpIngest.SendAsync(silo.Writer, run, Dataset, record, 1800, to: 3);

        using var again = await silo.Writer.PostAsJsonAsync(path, HttpIngest.ChunkBody(plan.Chunk(1)));
        var replay = await SiloFixture.AssertProblem(again, HttpStatusCode.Conflict, "chunk-out-of-order");
        Assert.Equal(3, replay.GetProperty("expectedSequence").GetInt64());
        using var ahead = await silo.Writer.PostAsJsonAsync(path, HttpIngest.ChunkBody(plan.Chunk(5)));
        var early = await SiloFixture.AssertProblem(ahead, HttpStatusCode.Conflict, "chunk-out-of-order");
        Assert.Equal(3, early.GetProperty("expectedSequence").GetInt64());
        Assert.Contains("send chunk 3 next", early.GetProperty("detail").GetString());

        // A sender that lost track starts anywhere and follows expectedSequence.
        Assert.Equal(6, plan.Count);
        var ack = await HttpIngest.SendAsync(silo.Writer, run, Dataset, record, 1800, from: 5);
        Assert.True(ack!.Done);
        Assert.Equal(HttpIngest.ClassCounts(record).Sum(), (await silo.ProgressAsync(run, Dataset, record.Name)).BeatsScored);

        using var after = await silo.Writer.PostAsJsonAsync(path, HttpIngest.ChunkBody(plan.Chunk(0)));
        await SiloFixture.AssertProblem(after, HttpStatusCode.Conflict, "record-complete");
    }

    [Fact]
    public async Task Chunks_without_a_key_or_with_a_wrong_key_are_refused_and_nothing_is_applied()
    {
        var run = await silo.NewRunAsync();
        var record = HttpIngest.Synthetic(0, seconds: 20);
        var plan = new ChunkPlan(record, 1800);
        var path = HttpIngest.ChunksPath(run, Dataset, record.Name);

        using var noKey = await silo.Reader.PostAsJsonAsync(path, HttpIngest.ChunkBody(plan.Chunk(0)));
        await SiloFixture.AssertProblem(noKey, HttpStatusCode.Unauthorized, "missing-api-key");
        using var wrong = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(HttpIngest.ChunkBody(plan.Chunk(0))) };
        wrong.Headers.Add("X-Api-Key", "not-" + SiloFactory.ApiKey);
        using var wrongKey = await silo.Reader.SendAsync(wrong);
        await SiloFixture.AssertProblem(wrongKey, HttpStatusCode.Unauthorized, "invalid-api-key");

        var progress = await silo.ProgressAsync(run, Dataset, record.Name);
        Assert.Equal((0L, 0L, 0L), (progress.NextSequence, progress.Samples, progress.BeatsScored));
        Assert.Empty((await silo.GetAsync<RunInfo>($"/api/runs/{run}")).Records);
        // The refused chunk 0 is still the one the record expects.
        using var accepted = await silo.Writer.PostAsJsonAsync(path, HttpIngest.ChunkBody(plan.Chunk(0)));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Malformed_oversized_and_invalid_chunks_are_refused_and_nothing_is_applied()
    {
        var run = await silo.NewRunAsync();
        var record = HttpIngest.Synthetic(0, seconds: 20);
        var plan = new ChunkPlan(record, 1800);
        var path = HttpIngest.ChunksPath(run, Dataset, record.Name);
        var chunk = plan.Chunk(0);

        using var malformed = await silo.Writer.PostAsync(path, Json("{\"sequence\": 0, \"samples\": [1, 2,"));
        var bad = await SiloFixture.AssertProblem(malformed, HttpStatusCode.BadRequest, "malformed-json");
        Assert.Contains("ChunkRequest", bad.GetProperty("detail").GetString());
        using var missing = await silo.Writer.PostAsync(path, Json("{\"sequence\": 0, \"samples\": [1, 2]}"));
        var required = await SiloFixture.AssertProblem(missing, HttpStatusCode.BadRequest, "malformed-json");
        Assert.Contains("samplingFrequency", required.GetProperty("detail").GetString());
        using var text = await silo.Writer.PostAsync(path, Json("{\"sequence\": \"zero\", \"samplingFrequency\": 360, \"samples\": [1]}"));
        await SiloFixture.AssertProblem(text, HttpStatusCode.BadRequest, "malformed-json");

        var huge = new float[SiloFactory.MaxChunkBytes / 4];
        Array.Fill(huge, 0.123456f);
        using var oversized = await silo.Writer.PostAsJsonAsync(path, HttpIngest.ChunkBody(chunk with { Samples = huge }));
        await SiloFixture.AssertProblem(oversized, HttpStatusCode.RequestEntityTooLarge, "body-too-large");

        using var zeroRate = await silo.Writer.PostAsJsonAsync(path, HttpIngest.ChunkBody(chunk with { SamplingFrequency = 0 }));
        var rate = await SiloFixture.AssertProblem(zeroRate, HttpStatusCode.UnprocessableEntity, "invalid-chunk");
        Assert.Contains("sampling frequency", rate.GetProperty("detail").GetString());

        var badSymbol = JsonSerializer.Serialize(new
        {
            sequence = 0, samplingFrequency = 360, samples = chunk.Samples, annotations = new[] { new { sample = 10, symbol = "Z" } },
        });
        using var symbol = await silo.Writer.PostAsync(path, Json(badSymbol));
        var unknownSymbol = await SiloFixture.AssertProblem(symbol, HttpStatusCode.UnprocessableEntity, "invalid-chunk");
        Assert.Contains("'Z'", unknownSymbol.GetProperty("detail").GetString());

        using var nullAnnotation = await silo.Writer.PostAsync(path, Json("{\"sequence\": 0, \"samplingFrequency\": 360, \"samples\": [1, 2], \"annotations\": [null]}"));
        await SiloFixture.AssertProblem(nullAnnotation, HttpStatusCode.UnprocessableEntity, "invalid-chunk");
        using var nullSamples = await silo.Writer.PostAsync(path, Json("{\"sequence\": 0, \"samplingFrequency\": 360, \"samples\": null}"));
        await SiloFixture.AssertProblem(nullSamples, HttpStatusCode.UnprocessableEntity, "invalid-chunk");

        var outside = chunk with { Annotations = [new ChunkAnnotation(chunk.Samples.Length + 5, 1)] };
        using var outsideChunk = await silo.Writer.PostAsJsonAsync(path, HttpIngest.ChunkBody(outside));
        var lies = await SiloFixture.AssertProblem(outsideChunk, HttpStatusCode.UnprocessableEntity, "invalid-chunk");
        Assert.Contains("outside the chunk", lies.GetProperty("detail").GetString());

        var progress = await silo.ProgressAsync(run, Dataset, record.Name);
        Assert.Equal((0L, 0L), (progress.NextSequence, progress.Samples));
        var ack = await HttpIngest.SendAsync(silo.Writer, run, Dataset, record, 1800);
        Assert.Equal(HttpIngest.ClassCounts(record).Sum(), ack!.Beats);
    }

    [Fact]
    public async Task Annotations_by_symbol_give_the_same_maps_as_by_code()
    {
        var record = HttpIngest.Synthetic(1, seconds: 20);
        var byCode = await silo.NewRunAsync();
        var bySymbol = await silo.NewRunAsync();
        await HttpIngest.SendAsync(silo.Writer, byCode, Dataset, record, 3600);

        var plan = new ChunkPlan(record, 3600);
        for (var i = 0; i < plan.Count; i++)
        {
            var c = plan.Chunk(i);
            using var response = await silo.Writer.PostAsJsonAsync(HttpIngest.ChunksPath(bySymbol, Dataset, record.Name), new
            {
                sequence = c.Sequence, samplingFrequency = c.SamplingFrequency, samples = c.Samples, isLast = c.IsLast,
                annotations = c.Annotations!.Select(a => new { sample = a.Sample, symbol = Signal.Wfdb.AnnotationCodes.Mnemonic((Signal.Wfdb.AnnotationCode)a.Code) }),
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var expected = await silo.GetAsync<ClassMapView>($"/api/runs/{byCode}/maps/reference/N");
        var actual = await silo.GetAsync<ClassMapView>($"/api/runs/{bySymbol}/maps/reference/N");
        Assert.True(expected.Count > 0);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.SaliencyMean, actual.SaliencyMean);
        Assert.Equal(expected.BeatMean, actual.BeatMean);
    }
}
