using System.Diagnostics;
using System.Globalization;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Commands.Cluster;
using EcgOrleans.Client.Live;
using EcgOrleans.Signal.Beats;
using Polly;
using Xunit.Abstractions;

namespace EcgOrleans.Cluster.Tests;

/// <summary>
/// Live monitors streaming at real time into a three-silo cluster on Redis while one silo is killed with kill -9:
/// the monitors of the dead silo's records resume on the survivors, and once every monitor has ended its record the
/// class counts per reference class equal the beats the monitors sent, exactly. The expected counts come from the
/// monitors' chunks alone (<see cref="MonitorFeed.ReferenceCounts"/>), not from any grain.
/// Its cluster has ports, Redis and cluster id of its own, and it runs alone (it needs the machine's cores).
/// </summary>
[Collection(ClusterPortsCollection.Name)]
public sealed class LiveFaultTests(ITestOutputHelper output)
{
    private const int Monitors = 500;
    private const double Speed = 1;
    private const int WarmUpMonitors = 30;
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan MinBeforeKill = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan MaxBeforeKill = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan KeepingUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_silo_killed_while_500_monitors_stream_loses_no_beat_and_counts_none_twice()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = new LocalCluster(redisPort: 6395, portOffset: 100, clusterId: "ecg-live-fault-test");
        await cluster.StartRedisAsync();
        cluster.Script("up 3");
        Log(clock, "3 silos up");
        const string run = "live-fault-kill";

        await using var session = await ConnectAsync(cluster);
        var grains = session.Grains;
        await WarmUpAsync(grains, clock);
        var config = await grains.GetGrain<IRunGrain>(run).Configure(new RunRequest(RunDefaults.Model));
        var fleet = new MonitorFleet(grains, config.Name, new FleetOptions(Monitors, Speed));

        // Stream until the cluster has warmed up and keeps up with the schedule (or for at most MaxBeforeKill), kill
        // silo 2, stream AfterKill more, then stop the stream as Ctrl+C would and end every monitor's record.
        using var stop = new CancellationTokenSource();
        FleetStatus? latest = null;
        var logged = TimeSpan.Zero;
        var stream = fleet.RunAsync(null, status =>
        {
            Volatile.Write(ref latest, status);
            if (status.Elapsed - logged < TimeSpan.FromSeconds(5)) return;
            logged = status.Elapsed;
            Log(clock, Line(status));
        }, stop.Token);

        while (Volatile.Read(ref latest) is not { } s || s.Elapsed < MinBeforeKill || (s.Lag > KeepingUp && s.Elapsed < MaxBeforeKill))
        {
            if (stream.IsCompleted) await stream; // a failure before the kill surfaces here
            await Task.Delay(100);
        }
        var beatsBeforeKill = fleet.Monitors.Sum(m => m.Beats);
        Assert.False(stream.IsCompleted, "the kill must strike mid-stream");
        await Task.Run(() => cluster.Script("kill 2"));
        Log(clock, $"silo 2 killed (kill -9) at {Line(latest!)}, {beatsBeforeKill:#,0} beats acknowledged");

        await Task.Delay(AfterKill);
        await stop.CancelAsync();
        var streamed = await stream;
        Log(clock, $"stream stopped: {Line(streamed)}, drain {streamed.Drain.TotalSeconds:0.0} s");
        var finishing = Stopwatch.StartNew();
        var finished = await fleet.FinishAsync(CancellationToken.None);
        Log(clock, $"every monitor finished in {finishing.Elapsed.TotalSeconds:0.0} s: {Line(finished)}");

        // The kill fell mid-stream: beats were acknowledged before it, and many more after it.
        Assert.True(beatsBeforeKill > 0, "no beat was acknowledged before the kill");
        Assert.True(streamed.Beats > beatsBeforeKill, $"no beat was acknowledged after the kill ({beatsBeforeKill:#,0} before, {streamed.Beats:#,0} at the end)");

        // Every record is done, by its monitor's last acknowledgement, by the grain, and in the run's view.
        Assert.All(fleet.Monitors, m => Assert.True(m.Done, $"{m.Record} is not done"));
        var resilience = ClientResilience.Create();
        var progress = await Task.WhenAll(fleet.Monitors.Select(m => resilience.ExecuteAsync(async _ =>
            await grains.GetGrain<IRecordGrain>(GrainKeys.Record(config.Name, MonitorFleet.Dataset, m.Record)).GetProgress()).AsTask()));
        Assert.All(progress, p => Assert.True(p.Done, $"{p.Record} is not done in its grain"));
        var info = await resilience.ExecuteAsync(async _ => await grains.GetGrain<IRunGrain>(run).GetInfo());
        Assert.Equal(Monitors, info.Records.Count(r => r.Dataset == MonitorFleet.Dataset && r.Done));

        var expected = new long[Aami.ClassCount];
        foreach (var m in fleet.Monitors)
        {
            var counts = m.ReferenceCounts();
            for (var c = 0; c < expected.Length; c++) expected[c] += counts[c];
        }
        var actual = await ClassCounts.Reference(grains, config.Name);
        Log(clock, $"reference counts {Counts(actual)}, expected {Counts(expected)}; {finished.Resumes} resumes");
        Assert.Equal(expected.Sum(), fleet.Monitors.Sum(m => m.Beats));
        Assert.Equal(expected, actual);
    }

    /// <summary>Connects to the three silos; a silo still busy after its start may miss the client's first handshake.</summary>
    private async Task<ClusterSession> ConnectAsync(LocalCluster cluster)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ClusterSession.StartAsync(new ClusterSettings { Gateway = cluster.Gateways(3), ClusterId = cluster.ClusterId }, CancellationToken.None);
            }
            catch (ClusterConnectionException e) when (attempt < 3)
            {
                output.WriteLine($"connection attempt {attempt} failed: {e.Message}");
            }
        }
    }

    /// <summary>
    /// Streams a few monitors into a run of their own until each has had beats scored, so that every silo has loaded
    /// the model (a silo's first scoring loads LibTorch and the model, which takes tens of seconds on a busy machine)
    /// before the fleet under test starts on its schedule.
    /// </summary>
    private async Task WarmUpAsync(IGrainFactory grains, Stopwatch clock)
    {
        var config = await grains.GetGrain<IRunGrain>("live-fault-warm-up").Configure(new RunRequest(RunDefaults.Model));
        var fleet = new MonitorFleet(grains, config.Name, new FleetOptions(WarmUpMonitors, Speed));
        using var stop = new CancellationTokenSource();
        var stream = fleet.RunAsync(MaxWarmUp, null, stop.Token);
        while (!stream.IsCompleted && fleet.Monitors.Any(m => m.Beats == 0)) await Task.Delay(200);
        await stop.CancelAsync();
        var status = await stream;
        await fleet.FinishAsync(CancellationToken.None);
        Log(clock, $"warm-up: {WarmUpMonitors} monitors of another run, {status.Elapsed.TotalSeconds:0.0} s, {status.Beats:#,0} beats, " +
            $"{fleet.Monitors.Count(m => m.Beats > 0)} with beats scored");
    }


    private static string Counts(long[] counts) =>
        string.Join(' ', Aami.Classes.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c}={counts[(int)c]}")));

    private static string Line(FleetStatus s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Elapsed.TotalSeconds:0.0} s, {s.SignalSeconds:0} s of signal, {s.Beats:#,0} beats, {s.Chunks:#,0} chunks, {s.Resumes} resumes, lag {s.Lag.TotalSeconds:0.0} s");

    private void Log(Stopwatch clock, string line) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:0.0} s] {line}"));
}
