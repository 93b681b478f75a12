using System.Net;
using System.Net.Http.Json;
using System.Text;
using EcgOrleans.Abstractions;
using EcgOrleans.Silo.Api;

namespace EcgOrleans.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class RunApiTests(SiloFixture silo)
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Creating_a_run_is_201_then_200_for_the_same_analysis_and_409_for_another()
    {
        var run = $"run-{Guid.NewGuid():N}"[..16];
        using var created = await silo.Writer.PutAsJsonAsync($"/api/runs/{run}", new { model = SiloFixture.Model, method = "Vanilla" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/runs/{run}", created.Headers.Location?.OriginalString);
        var config = (await created.Content.ReadFromJsonAsync<RunConfig>())!;
        Assert.Equal((run, $"{SiloFixture.Model}@1", "vanilla", "predicted", "window"),
            (config.Name, config.ModelVersion, config.Method, config.Target, config.Representation));

        using var same = await silo.Writer.PutAsJsonAsync($"/api/runs/{run}", new { model = $"{SiloFixture.Model}@1" });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        using var other = await silo.Writer.PutAsJsonAsync($"/api/runs/{run}", new { model = SiloFixture.Model, target = "reference" });
        var conflict = await SiloFixture.AssertProblem(other, HttpStatusCode.Conflict, "run-conflict");
        Assert.Contains(run, conflict.GetProperty("detail").GetString());
        Assert.Equal("predicted", (await silo.GetAsync<RunInfo>($"/api/runs/{run}")).Config.Target);
    }

    [Fact]
    public async Task Runs_are_listed_with_their_progress()
    {
        var run = await silo.NewRunAsync();
        var record = HttpIngest.Synthetic(0, seconds: 20);
        await HttpIngest.SendAsync(silo.Writer, run, "synthetic", record, chunkSamples: 3600);

        var summary = Assert.Single(await silo.GetAsync<RunSummary[]>("/api/runs"), r => r.Name == run);
        Assert.Equal((1, 1, HttpIngest.ClassCounts(record).Sum()), (summary.Records, summary.RecordsDone, summary.BeatsScored));
        Assert.Equal($"{SiloFixture.Model}@1", summary.ModelVersion);
        Assert.True(summary.ClassMaps >= 3, $"{summary.ClassMaps} class maps");

        var info = await silo.GetAsync<RunInfo>($"/api/runs/{run}");
        var progress = Assert.Single(info.Records);
        Assert.Equal(("synthetic", record.Name, true, record.Header.SampleCount), (progress.Dataset, progress.Record, progress.Done, progress.Samples));
    }

    [Fact]
    public async Task Run_creation_without_a_key_is_refused_and_creates_nothing()
    {
        var run = $"run-{Guid.NewGuid():N}"[..16];
        using var noKey = await silo.Reader.PutAsJsonAsync($"/api/runs/{run}", new { model = SiloFixture.Model });
        await SiloFixture.AssertProblem(noKey, HttpStatusCode.Unauthorized, "missing-api-key");
        using var get = await silo.Reader.GetAsync($"/api/runs/{run}");
        await SiloFixture.AssertProblem(get, HttpStatusCode.NotFound, "unknown-run");
        Assert.DoesNotContain(await silo.GetAsync<RunSummary[]>("/api/runs"), r => r.Name == run);
    }

    [Theory]
    [InlineData("{\"model\": ", "malformed-json", 400)]
    [InlineData("[1, 2]", "malformed-json", 400)]
    [InlineData("{\"method\": \"vanilla\"}", "malformed-json", 400)]
    [InlineData("{\"model\": \"test-window\", \"modle\": 1}", "malformed-json", 400)]
    [InlineData("{\"model\": \"test-window\", \"method\": \"magic\"}", "invalid-argument", 400)]
    [InlineData("{\"model\": null}", "invalid-argument", 400)]
    [InlineData("{\"model\": \"test-window\", \"target\": null}", "invalid-argument", 400)]
    [InlineData("{\"model\": \"no-such-model\"}", "unknown-model", 404)]
    public async Task Bad_run_bodies_are_problem_details_and_create_nothing(string body, string code, int status)
    {
        var run = $"run-{Guid.NewGuid():N}"[..16];
        using var response = await silo.Writer.PutAsync($"/api/runs/{run}", Json(body));
        await SiloFixture.AssertProblem(response, (HttpStatusCode)status, code);
        using var get = await silo.Reader.GetAsync($"/api/runs/{run}");
        await SiloFixture.AssertProblem(get, HttpStatusCode.NotFound, "unknown-run");
    }

    [Fact]
    public async Task Oversized_and_non_json_run_bodies_are_refused()
    {
        var padding = new string(' ', 70_000);
        using var huge = await silo.Writer.PutAsync("/api/runs/huge-run", Json("{\"model\": \"test-window\"" + padding + "}"));
        await SiloFixture.AssertProblem(huge, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        using var text = await silo.Writer.PutAsync("/api/runs/text-run", new StringContent("model=test-window", Encoding.UTF8, "text/plain"));
        await SiloFixture.AssertProblem(text, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Theory]
    [InlineData("/api/runs/no-such-run")]
    [InlineData("/api/runs/no-such-run/maps")]
    [InlineData("/api/runs/no-such-run/maps/reference/N")]
    [InlineData("/api/runs/no-such-run/maps/stream")]
    [InlineData("/api/runs/no-such-run/records/mitdb/100")]
    public async Task Reads_of_an_unknown_run_are_404(string path)
    {
        using var response = await silo.Reader.GetAsync(path);
        var problem = await SiloFixture.AssertProblem(response, HttpStatusCode.NotFound, "unknown-run");
        Assert.Contains("no-such-run", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/runs/bad%20name", "invalid-argument")]
    [InlineData("/api/runs/{run}/maps/sideways/N", "invalid-argument")]
    [InlineData("/api/runs/{run}/maps/reference/X", "invalid-argument")]
    [InlineData("/api/runs/{run}/maps/cell/V", "invalid-argument")]
    [InlineData("/api/runs/{run}/maps?grouping=sideways", "invalid-argument")]
    public async Task Bad_names_are_400(string path, string code)
    {
        var run = await silo.NewRunAsync();
        using var response = await silo.Reader.GetAsync(path.Replace("{run}", run));
        await SiloFixture.AssertProblem(response, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_even_on_open_reads()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Add("X-Api-Key", "guess");
        using var response = await silo.Reader.SendAsync(request);
        await SiloFixture.AssertProblem(response, HttpStatusCode.Unauthorized, "invalid-api-key");
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_404()
    {
        using var response = await silo.Reader.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
