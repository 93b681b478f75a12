using System.Net;
using System.Net.Http.Json;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Signal.Beats;
using Microsoft.Extensions.DependencyInjection;

namespace EcgOrleans.Silo.Tests;

/// <summary>/metrics after an ingest: Orleans' own metrics and the product's counters with the right totals.</summary>
[Collection(SiloCollection.Name)]
public sealed class MetricsTests(SiloFixture silo)
{
    private async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync()
    {
        using var response = await silo.Reader.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusSample.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes until <paramref name="done"/> holds: the exporter caches a scrape for a moment.</summary>
    private async Task<IReadOnlyList<PrometheusSample>> ScrapeUntilAsync(Func<IReadOnlyList<PrometheusSample>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var samples = await ScrapeAsync();
            if (done(samples) || DateTime.UtcNow > deadline) return samples;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Metrics_after_an_ingest_show_orleans_and_the_beats_per_class_and_model()
    {
        // A model of its own, so that the model tag singles out this test's beats.
        var modelName = $"metrics-{Guid.NewGuid():N}"[..16];
        using (var upload = await silo.Writer.PostAsync($"/api/models/{modelName}", SiloFixture.Checkpoint(TestModels.Checkpoint(seed: 5))))
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var model = $"{modelName}@1";
        var run = await silo.NewRunAsync(modelName);
        var record = HttpIngest.Synthetic(1, seconds: 60);
        var expected = HttpIngest.ClassCounts(record);
        var plan = new ChunkPlan(record, 1800);

        var before = await ScrapeAsync();
        await HttpIngest.SendAsync(silo.Writer, run, "synthetic", record, 1800, to: plan.Count / 2);
        var halfway = await ScrapeUntilAsync(s => Waiting(s) > Waiting(before));
        Assert.True(Waiting(halfway) > Waiting(before), "beats wait in the record stream until a batch is full or the record ends");

        await HttpIngest.SendAsync(silo.Writer, run, "synthetic", record, 1800, from: plan.Count / 2);
        using (var replay = await silo.Writer.PostAsJsonAsync(HttpIngest.ChunksPath(run, "synthetic", record.Name), HttpIngest.ChunkBody(plan.Chunk(0))))
            Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        var progress = await silo.ProgressAsync(run, "synthetic", record.Name);

        var after = await ScrapeUntilAsync(s => PrometheusSample.Sum(s, "ecg_beats_ingested_total", ("model", model)) >= expected.Sum());
        foreach (var c in Aami.Classes)
        {
            Assert.Equal(expected[(int)c], PrometheusSample.Sum(after, "ecg_beats_ingested_total", ("model", model), ("class", c.ToString())));
        }
        Assert.Equal(expected.Sum(), PrometheusSample.Sum(after, "ecg_beats_ingested_total", ("model", model)));
        Assert.Equal(expected.Sum(), PrometheusSample.Sum(after, "ecg_beats_classified_total", ("model", model)));
        Assert.Equal(progress.Batches, PrometheusSample.Sum(after, "ecg_model_batch_size_count", ("model", model)));
        Assert.Equal(expected.Sum(), PrometheusSample.Sum(after, "ecg_model_batch_size_sum", ("model", model)));
        Assert.Equal(progress.Batches, PrometheusSample.Sum(after, "ecg_model_duration_seconds_count", ("model", model), ("method", "vanilla")));
        Assert.True(PrometheusSample.Sum(after, "ecg_model_duration_seconds_sum", ("model", model)) > 0);

        Assert.Equal(plan.Count, Delta(before, after, "ecg_chunks_accepted_total"));
        Assert.Equal((double)record.Header.SampleCount!.Value, Delta(before, after, "ecg_samples_accepted_total"));
        Assert.Equal(1, Delta(before, after, "ecg_chunks_refused_total", ("code", "record-complete")));
        // Each batch touches the reference, predicted and cell map of every class it holds: merged once each.
        var maps = await silo.GetAsync<Api.ClassMapSummary[]>($"/api/runs/{run}/maps");
        Assert.Equal(maps.Sum(m => m.Merges), Delta(before, after, "ecg_classmap_merges_total", ("outcome", "merged")));
        Assert.Equal(Waiting(before), Waiting(after));

        // Orleans' own instruments (counters: other silos in this test process add to them, never take away).
        Assert.True(Delta(before, after, "orleans_catalog_activation_created_total", ("grain_type", "record")) >= 1, "record grain activations");
        Assert.True(Delta(before, after, "orleans_catalog_activation_created_total", ("grain_type", "classmap")) >= 3, "class map activations");
        Assert.True(Delta(before, after, "orleans_app_requests_latency_milliseconds_count") >= plan.Count, "grain calls timed");
        Assert.Contains(after, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_route") == "/api/runs/{run}/records/{dataset}/{record}/chunks");
    }

    [Fact]
    public async Task A_repeated_epoch_is_counted_as_a_dropped_replay_not_a_merge()
    {
        var grains = silo.Factory.Services.GetRequiredService<IGrainFactory>();
        var map = grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap($"replay-{Guid.NewGuid():N}"[..16], "reference/V"));
        var partial = new PartialMap("reference/V", 4, 1, [0.1, 0.2, 0.3, 0.4], [0, 0, 0, 0], [1, 2, 3, 4], [0, 0, 0, 0]);
        var before = await ScrapeAsync();

        await map.Apply("publisher-1", 1, partial);
        await map.Apply("publisher-1", 1, partial);
        await map.Apply("publisher-1", 1, partial);

        var after = await ScrapeUntilAsync(s => Delta(before, s, "ecg_classmap_merges_total", ("outcome", "replay")) >= 2);
        Assert.Equal(1, Delta(before, after, "ecg_classmap_merges_total", ("grouping", "reference"), ("outcome", "merged")));
        Assert.Equal(2, Delta(before, after, "ecg_classmap_merges_total", ("grouping", "reference"), ("outcome", "replay")));
        Assert.Equal(1, (await map.Get()).Count);
    }

    [Fact]
    public async Task Every_metric_the_grafana_dashboard_plots_is_exported()
    {
        // Make every family appear: an ingest, a refused chunk, and a class-map stream.
        var run = await silo.NewRunAsync();
        var record = HttpIngest.Synthetic(0, seconds: 20);
        await HttpIngest.SendAsync(silo.Writer, run, "synthetic", record, 3600);
        using (var replay = await silo.Writer.PostAsJsonAsync(HttpIngest.ChunksPath(run, "synthetic", record.Name), HttpIngest.ChunkBody(new ChunkPlan(record, 3600).Chunk(0))))
            Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        using (var stream = await silo.Reader.GetAsync($"/api/runs/{run}/maps/stream", HttpCompletionOption.ResponseHeadersRead))
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

        var dashboard = await File.ReadAllTextAsync(Path.Combine(EcgOrleans.Tests.TestData.RepositoryRoot, "deploy", "grafana", "dashboards", "ecg-orleans.json"));
        var plotted = System.Text.RegularExpressions.Regex.Matches(dashboard, @"\b(?:ecg|orleans|http_server|target)_[a-z_]+\b")
            .Select(m => m.Value).ToHashSet();
        Assert.Contains("ecg_beats_ingested_total", plotted);
        Assert.Contains("orleans_catalog_activations", plotted);

        var exported = await ScrapeUntilAsync(s => plotted.All(name => s.Any(x => x.Name == name)));
        Assert.All(plotted, name => Assert.True(exported.Any(s => s.Name == name), $"the dashboard plots {name}, which /metrics does not export"));
    }

    private static double Waiting(IEnumerable<PrometheusSample> samples) => PrometheusSample.Sum(samples, "ecg_record_beats_waiting");

    private static double Delta(IEnumerable<PrometheusSample> before, IEnumerable<PrometheusSample> after, string name, params (string, string)[] labels) =>
        PrometheusSample.Sum(after, name, labels) - PrometheusSample.Sum(before, name, labels);
}
