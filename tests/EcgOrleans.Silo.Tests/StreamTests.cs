using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Silo.Live;
using Microsoft.Extensions.DependencyInjection;

namespace EcgOrleans.Silo.Tests;

/// <summary>The server-sent-event stream of a run's class maps.</summary>
[Collection(SiloCollection.Name)]
[Trait("Category", "Slow")]
public sealed class StreamTests(SiloFixture silo)
{
    [Fact]
    public async Task The_stream_sends_the_current_maps_then_updates_while_beats_arrive()
    {
        var run = await silo.NewRunAsync();
        var record = HttpIngest.Synthetic(0, seconds: 60);
        var plan = new ChunkPlan(record, 1800);
        var expectedN = HttpIngest.ClassCounts(record)[0];
        await HttpIngest.SendAsync(silo.Writer, run, "synthetic", record, 1800, to: 3, flushEach: true);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await silo.Reader.GetAsync($"/api/runs/{run}/maps/stream?grouping=reference", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await events.MoveNextAsync());
        Assert.Equal(ClassMapFeed.RunEvent, events.Current.EventType);
        Assert.Equal(run, JsonSerializer.Deserialize<RunInfo>(events.Current.Data, JsonSerializerOptions.Web)!.Config.Name);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(ClassMapFeed.MapEvent, events.Current.EventType);
        var first = JsonSerializer.Deserialize<ClassMapView>(events.Current.Data, JsonSerializerOptions.Web)!;
        Assert.StartsWith("reference/", first.Key);

        var sending = HttpIngest.SendAsync(silo.Writer, run, "synthetic", record, 1800, from: 3, flushEach: true, pause: TimeSpan.FromMilliseconds(300));
        var seenN = new List<long>();
        while (seenN.LastOrDefault() < expectedN && await events.MoveNextAsync())
        {
            if (events.Current.EventType != ClassMapFeed.MapEvent) continue;
            var view = JsonSerializer.Deserialize<ClassMapView>(events.Current.Data, JsonSerializerOptions.Web)!;
            Assert.StartsWith("reference/", view.Key);
            if (view.Key == "reference/N") seenN.Add(view.Count);
        }
        await sending;

        Assert.Equal(expectedN, seenN.Last());
        Assert.True(seenN.Distinct().Count() >= 3, $"counts of reference/N seen: {string.Join(", ", seenN)}");
        Assert.Equal(seenN.Order(), seenN);
        Assert.True(plan.Count > 3);

        await events.DisposeAsync();
        response.Dispose();
        var limiter = silo.Factory.Services.GetRequiredService<StreamLimiter>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (limiter.Open > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(0, limiter.Open);
    }
}
