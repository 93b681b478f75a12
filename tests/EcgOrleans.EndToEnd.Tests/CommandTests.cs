using System.Text.Json;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Signal.Sources;
using EcgOrleans.Tests;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary><c>ecg maps</c> and <c>ecg simulate</c> run in-process as a user runs them, connecting to the silo through its gateway.</summary>
[Collection(SiloCollection.Name)]
[Trait("Category", "Slow")]
public sealed class CommandTests(SiloFixture silo)
{
    [Fact]
    public async Task Maps_of_two_runs_print_as_json_with_their_differences_and_plot_every_map_and_pair()
    {
        var first = await silo.NewRunAsync("cmp-a", "kachuee-window-ds1");
        var second = await silo.NewRunAsync("cmp-b", "resnet-window-ds1");
        var record = new SyntheticSource(seed: 2, records: 2, seconds: 60).Load("s002");
        var uploader = new RecordUploader(silo.Grains, ClientResilience.Create());
        foreach (var run in new[] { first, second }) await uploader.UploadAsync(run.Name, "synthetic", new ChunkPlan(record, 7200));
        var plots = TestData.NewTempDirectory("ecg-maps");

        var output = await Cli.OutputOfAsync("maps", "--gateway", silo.Gateway, "--run", first.Name, "--compare", second.Name,
            "--grouping", "reference", "--json", "--png", plots);

        var json = JsonDocument.Parse(output).RootElement;
        var runs = json.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([first.Name, second.Name], runs.Select(r => r.GetProperty("name").GetString()));
        var keys = runs[0].GetProperty("maps").EnumerateArray().Select(m => m.GetProperty("key").GetString()!).ToList();
        Assert.All(keys, k => Assert.StartsWith("reference/", k));
        Assert.Equal(keys, json.GetProperty("differences").EnumerateArray().Select(d => d.GetProperty("key").GetString()));
        Assert.Equal(runs[0].GetProperty("beats").GetInt64(), runs[1].GetProperty("beats").GetInt64());
        foreach (var key in keys)
        {
            var file = key.Replace('/', '_') + ".png";
            Assert.True(new FileInfo(Path.Combine(plots, first.Name, file)).Length > 0, file);
            Assert.True(new FileInfo(Path.Combine(plots, second.Name, file)).Length > 0, file);
            Assert.True(new FileInfo(Path.Combine(plots, $"{first.Name}-vs-{second.Name}", file)).Length > 0, file);
        }
    }

    [Fact]
    public async Task Maps_of_an_unknown_run_is_an_error_naming_the_run()
    {
        var e = await Assert.ThrowsAsync<EcgRequestException>(() => Cli.RunAsync("maps", "--gateway", silo.Gateway, "--run", "no-such-run"));
        Assert.Contains("unknown run 'no-such-run'", e.Message);
    }

    [Fact]
    public async Task A_silo_of_another_cluster_id_is_told_apart_from_an_absent_one_within_ten_seconds()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ClusterConnectionException>(() =>
            Cli.RunAsync("maps", "--gateway", silo.Gateway, "--run", "x", "--cluster-id", "not-this-one"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed.TotalSeconds:0.0} s");
        Assert.StartsWith($"a silo listens at {silo.Gateway} but refused cluster id 'not-this-one'", e.Message);
        Assert.Contains("pass the --cluster-id", e.Message);
    }

    [Fact]
    public async Task Watch_shows_a_run_and_its_comparison_for_the_seconds_asked_and_refuses_an_unknown_run()
    {
        var first = await silo.NewRunAsync("watch-a");
        var second = await silo.NewRunAsync("watch-b", "resnet-window-ds1");
        var record = new SyntheticSource(seed: 3, records: 1, seconds: 30).Load("s001");
        var uploader = new RecordUploader(silo.Grains, ClientResilience.Create());
        foreach (var run in new[] { first, second }) await uploader.UploadAsync(run.Name, "synthetic", new ChunkPlan(record, 3600));

        Assert.Equal(0, await Cli.RunAsync("watch", "--gateway", silo.Gateway, "--run", first.Name, "--compare", second.Name, "--seconds", "2", "--refresh", "0.5"));

        var e = await Assert.ThrowsAsync<EcgRequestException>(() => Cli.RunAsync("watch", "--gateway", silo.Gateway, "--run", "nobody-here", "--seconds", "1"));
        Assert.Contains("unknown run 'nobody-here'", e.Message);
    }

    [Fact]
    public async Task Simulate_streams_its_monitors_into_the_run_for_the_seconds_asked()
    {
        var run = $"sim-{Guid.NewGuid():N}"[..16];

        Assert.Equal(0, await Cli.RunAsync("simulate", "--gateway", silo.Gateway, "--run", run, "--monitors", "3", "--speed", "10", "--seconds", "4"));

        var info = await silo.Grains.GetGrain<IRunGrain>(run).GetInfo();
        Assert.Equal(["monitor-000001", "monitor-000002", "monitor-000003"], info.Records.Select(r => r.Record));
        Assert.All(info.Records, r => Assert.Equal("live", r.Dataset));
        // 4 s at 10× real time: up to 40 one-second chunks each (fewer when the machine cannot keep up).
        Assert.All(info.Records, r => Assert.InRange(r.NextSequence, 1, 40));
        Assert.True(info.BeatsScored > 0);
    }
}
