using System.Net;
using System.Text.Json;
using EcgOrleans.Grains.Hosting;
using EcgOrleans.Silo.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EcgOrleans.Silo.Tests;

/// <summary>Health, OpenAPI, the Orleans dashboard and the page's static files.</summary>
[Collection(SiloCollection.Name)]
public sealed class OperationsTests(SiloFixture silo)
{
    [Fact]
    public async Task Live_and_ready_answer_healthy_with_the_silo_and_registry_checks()
    {
        using var live = await silo.Reader.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await silo.Reader.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["silo"] = "Healthy", ["model-registry"] = "Healthy", ["bundled-models"] = "Healthy" }, checks);
    }

    [Fact]
    public async Task Ready_waits_until_the_bundled_models_are_uploaded()
    {
        var models = new BundledModels(null!, Options.Create(new EcgOptions { Models = Path.Combine(Path.GetTempPath(), $"no-models-{Guid.NewGuid():N}") }),
            NullLogger<BundledModels>.Instance);
        var check = new BundledModelsCheck(models);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        await models.UploadAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_and_the_api_key()
    {
        var document = JsonDocument.Parse(await silo.Reader.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");
        string[] expected =
        [
            "/api/runs", "/api/runs/{run}", "/api/runs/{run}/records/{dataset}/{record}", "/api/runs/{run}/records/{dataset}/{record}/chunks",
            "/api/runs/{run}/maps", "/api/runs/{run}/maps/{grouping}/{class}", "/api/runs/{run}/maps/stream",
            "/api/models", "/api/models/{model}", "/api/models/{name}", "/api/models/{name}/versions/{version}/activate", "/api/snapshot",
        ];
        Assert.All(expected, p => Assert.True(paths.TryGetProperty(p, out _), $"{p} is not in the OpenAPI document"));
        var chunks = paths.GetProperty("/api/runs/{run}/records/{dataset}/{record}/chunks").GetProperty("post");
        Assert.True(chunks.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(chunks.GetProperty("responses").TryGetProperty("409", out _));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_orleans_dashboard_is_served()
    {
        using var response = await silo.Writer.GetAsync("/dashboard/"); // to key holders only (SecurityTests)
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Orleans", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_page_its_modules_and_its_chart_library_are_served()
    {
        var page = await silo.Reader.GetStringAsync("/");
        Assert.Contains("<script type=\"module\" src=\"js/main.js\"></script>", page);
        // Ready for a Content-Security-Policy without 'unsafe-inline': every script and style is a file.
        Assert.DoesNotMatch(@"<script(?![^>]*\ssrc=)[^>]*>", page);
        Assert.DoesNotContain("style=", page);

        // Every module main.js reaches through its imports, and uPlot's ES build among them.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(["/js/main.js"]);
        while (queue.TryDequeue(out var path))
        {
            if (!seen.Add(path)) continue;
            using var response = await silo.Reader.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            var source = await response.Content.ReadAsStringAsync();
            foreach (System.Text.RegularExpressions.Match import in System.Text.RegularExpressions.Regex.Matches(source, @"^import .* from '([^']+)';", System.Text.RegularExpressions.RegexOptions.Multiline))
                queue.Enqueue(new Uri(new Uri("http://page" + path), import.Groups[1].Value).AbsolutePath);
        }
        Assert.Contains("/lib/uplot/uPlot.esm.js", seen);
        Assert.True(seen.Count > 5, $"main.js reached {seen.Count} modules");
    }
}
