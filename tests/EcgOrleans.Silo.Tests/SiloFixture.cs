using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EcgOrleans.Abstractions;

namespace EcgOrleans.Silo.Tests;

/// <summary>One silo for the API tests, with the model "test-window" uploaded through the API.</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public const string Model = "test-window";

    public SiloFactory Factory { get; } = new();

    /// <summary>Sends no key: reads are open by default, writes must be refused.</summary>
    public HttpClient Reader { get; private set; } = null!;

    public HttpClient Writer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Reader = Factory.CreateClient();
        Writer = Factory.CreateWriter();
        using var upload = await Writer.PostAsync($"/api/models/{Model}", Checkpoint(TestModels.Checkpoint()));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    public static ByteArrayContent Checkpoint(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>A new run on <paramref name="model"/>, created through the API.</summary>
    public async Task<string> NewRunAsync(string model = Model)
    {
        var run = $"run-{Guid.NewGuid():N}"[..16];
        using var response = await Writer.PutAsJsonAsync($"/api/runs/{run}", new { model });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return run;
    }

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Reader.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web))!;
    }

    /// <summary>Asserts a problem-details answer with this status and code, and returns its body.</summary>
    public static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal("urn:ecg-orleans:problem:" + code, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    public async Task<RecordProgress> ProgressAsync(string run, string dataset, string record) =>
        await GetAsync<RecordProgress>($"/api/runs/{run}/records/{dataset}/{record}");
}

/// <summary>
/// Every API test, serially. Both silos live until the collection ends: the Orleans instruments of two silos in
/// one process share their names, OpenTelemetry merges them, and when one silo stopped, the other's /metrics
/// lost every orleans_* metric (seen here); so no silo may stop before the metrics tests ran.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>, ICollectionFixture<ClosedSiloFixture>
{
    public const string Name = "silo";
}
