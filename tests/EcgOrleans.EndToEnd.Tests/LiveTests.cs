using EcgOrleans.Abstractions;
using EcgOrleans.Client.Live;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Ml.ClassMaps;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary>Live monitors streaming into a silo while clients read and watch the maps grow.</summary>
[Collection(SiloCollection.Name)]
[Trait("Category", "Slow")]
public sealed class LiveTests(SiloFixture silo)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task While_monitors_stream_two_map_queries_seconds_apart_show_growing_counts()
    {
        var run = await silo.NewRunAsync("live");
        await using var client = await silo.ConnectAsync();
        var fleet = new MonitorFleet(silo.Grains, run.Name, new FleetOptions(Monitors: 2, Speed: 20));
        using var stop = new CancellationTokenSource(Patience);
        var streaming = fleet.RunAsync(duration: null, onTick: null, stop.Token);

        var first = await WaitForAsync(client.Grains, run.Name, total => total > 0, streaming);
        await Task.Delay(TimeSpan.FromSeconds(4));
        var second = await WaitForAsync(client.Grains, run.Name, total => total > first.Values.Sum(), streaming);
        await stop.CancelAsync();
        var final = await streaming;

        Assert.True(second.Values.Sum() > first.Values.Sum(), $"{first.Values.Sum()} then {second.Values.Sum()} beats");
        Assert.True(second.All(c => c.Value >= first[c.Key]), "no class loses beats");
        Assert.True(final.Chunks > 0);
        // Every beat a grain acknowledged as scored is in the maps, once.
        var settled = ClassCounts.Of((await RunMaps.ReadAsync(client.Grains, run.Name, MapSelection.All)).Maps, ClassMapGrouping.Reference);
        Assert.Equal(fleet.Monitors.Sum(m => m.Beats), settled.Values.Sum());
        var info = await silo.Grains.GetGrain<IRunGrain>(run.Name).GetInfo();
        Assert.Equal(["live/monitor-000001", "live/monitor-000002"], info.Records.Select(r => $"{r.Dataset}/{r.Record}"));
    }

    [Fact]
    public async Task A_new_session_carries_each_monitor_on_from_where_its_grain_stands()
    {
        var run = await silo.NewRunAsync("resume");
        var options = new FleetOptions(Monitors: 1, Speed: 50);
        await new MonitorFleet(silo.Grains, run.Name, options).RunAsync(TimeSpan.FromSeconds(0.5), null, CancellationToken.None);
        var before = await silo.Grains.GetGrain<IRecordGrain>(GrainKeys.Record(run.Name, MonitorFleet.Dataset, "monitor-000001")).GetProgress();

        var again = new MonitorFleet(silo.Grains, run.Name, options);
        await again.RunAsync(TimeSpan.FromSeconds(0.5), null, CancellationToken.None);

        var after = await silo.Grains.GetGrain<IRecordGrain>(GrainKeys.Record(run.Name, MonitorFleet.Dataset, "monitor-000001")).GetProgress();
        Assert.True(before.NextSequence > 0);
        Assert.True(after.NextSequence > before.NextSequence, $"chunk {before.NextSequence} then {after.NextSequence}");
        Assert.Equal(0, again.Monitors[0].Resumes);
        // Every chunk of both sessions was applied once: one second of signal per chunk.
        Assert.Equal(after.NextSequence * 360, after.Samples);
    }

    [Fact]
    public async Task A_watcher_receives_the_maps_pushed_by_the_grains_as_beats_arrive()
    {
        var run = await silo.NewRunAsync("watch");
        await using var client = await silo.ConnectAsync();
        await using var subscriptions = new ClassMapSubscriptions(client.Grains, [run.Name], MapSelection.All);
        await subscriptions.RefreshAsync();
        Assert.Empty(subscriptions.Current(run.Name)!.Maps);

        var fleet = new MonitorFleet(silo.Grains, run.Name, new FleetOptions(Monitors: 1, Speed: 20));
        using var stop = new CancellationTokenSource(Patience);
        var streaming = fleet.RunAsync(TimeSpan.FromSeconds(8), null, stop.Token);
        // New maps are found by refreshing; their later updates arrive as pushes.
        while (!streaming.IsCompleted)
        {
            await Task.Delay(500);
            await subscriptions.RefreshAsync();
        }
        await streaming;

        var scored = fleet.Monitors[0].Beats;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Total(subscriptions, run.Name) < scored && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Equal(scored, Total(subscriptions, run.Name));
        Assert.True(subscriptions.Watcher.Pushes > 0, "the class-map grains pushed updates to the watcher");
    }

    private static long Total(ClassMapSubscriptions subscriptions, string run) =>
        subscriptions.Watcher.Maps(run).Where(m => m.Key.StartsWith("reference/", StringComparison.Ordinal)).Sum(m => m.Count);

    private static async Task<Dictionary<string, long>> WaitForAsync(IGrainFactory grains, string run, Func<long, bool> condition, Task streaming)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (streaming.IsFaulted) await streaming; // show why the monitors stopped
            var counts = ClassCounts.Of((await RunMaps.ReadAsync(grains, run, MapSelection.All)).Maps, ClassMapGrouping.Reference);
            if (condition(counts.Values.Sum())) return counts;
            Assert.True(DateTime.UtcNow < deadline, $"the maps of {run} did not grow within {Patience.TotalSeconds} s ({counts.Values.Sum()} beats)");
            await Task.Delay(250);
        }
    }
}
