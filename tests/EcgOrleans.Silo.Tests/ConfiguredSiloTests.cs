using System.Net;

namespace EcgOrleans.Silo.Tests;

/// <summary>A second silo whose reads need a key and which serves one class-map stream at a time.</summary>
public sealed class ClosedSiloFixture : IAsyncLifetime
{
    public SiloFactory Factory { get; } = new(new Dictionary<string, string?>
    {
        ["Ecg:Api:RequireKeyForReads"] = "true",
        ["Ecg:Api:MaxStreams"] = "1",
        ["Ecg:Api:Keys:1"] = "second-key",
    });

    public Task InitializeAsync()
    {
        Factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

[Collection(SiloCollection.Name)]
public sealed class ConfiguredSiloTests(ClosedSiloFixture silo)
{
    [Theory]
    [InlineData("/api/runs")]
    [InlineData("/api/models")]
    [InlineData("/api/snapshot")]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task Reads_need_a_key_when_configured(string path)
    {
        using var anonymous = silo.Factory.CreateClient();
        using var refused = await anonymous.GetAsync(path);
        await SiloFixture.AssertProblem(refused, HttpStatusCode.Unauthorized, "missing-api-key");

        using var keyed = silo.Factory.CreateClient();
        keyed.DefaultRequestHeaders.Add("X-Api-Key", "second-key");
        using var allowed = await keyed.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Api_keys_never_reach_the_log()
    {
        var wrongKey = "wrong-key-" + Guid.NewGuid().ToString("N");
        foreach (var key in new[] { SiloFactory.ApiKey, "second-key", wrongKey })
        {
            using var client = silo.Factory.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            using var read = await client.GetAsync("/api/runs");
            using var write = await client.PutAsync("/api/runs/logged-run", new StringContent("{\"model\":\"none\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.NotEqual(HttpStatusCode.OK, write.StatusCode);
        }

        var lines = silo.Factory.Logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("ApiKey", StringComparison.Ordinal)); // the authentication handler did log at Debug
        Assert.DoesNotContain(lines, l => l.Contains(SiloFactory.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("second-key", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(wrongKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_stays_open_for_probes()
    {
        using var client = silo.Factory.CreateClient();
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Streams_beyond_the_limit_are_503()
    {
        using var writer = silo.Factory.CreateWriter();
        var run = $"run-{Guid.NewGuid():N}"[..16];
        using (var upload = await writer.PostAsync("/api/models/m", SiloFixture.Checkpoint(TestModels.Checkpoint())))
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        using (var created = await writer.PutAsync($"/api/runs/{run}", new StringContent("{\"model\":\"m\"}", System.Text.Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var first = await writer.GetAsync($"/api/runs/{run}/maps/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await writer.GetAsync($"/api/runs/{run}/maps/stream", HttpCompletionOption.ResponseHeadersRead);
        await SiloFixture.AssertProblem(second, HttpStatusCode.ServiceUnavailable, "too-many-streams");
    }
}
