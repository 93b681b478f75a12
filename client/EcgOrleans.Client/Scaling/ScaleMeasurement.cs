using System.Collections.Concurrent;
using System.Diagnostics;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Demo;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Client.Live;
using EcgOrleans.Signal.Sources;
using Orleans.Runtime;

namespace EcgOrleans.Client.Scaling;

/// <summary>One point of the scaling analysis: a workload streamed through a number of silo processes started here.</summary>
internal static class ScaleMeasurement
{
    public static async Task<ScalePoint> MeasureAsync(int count, LoadedSource records, string model, int parallel, string? models, CancellationToken cancellation)
    {
        await using var silos = await LocalSilos.StartAsync(count, models, cancellation);
        var connect = new ClusterSettings { Gateway = string.Join(',', silos.GatewayPorts.Select(p => $"127.0.0.1:{p}")), ClusterId = silos.ClusterId };
        await using var session = await ClusterSession.StartAsync(connect, cancellation);
        var management = session.Grains.GetGrain<IManagementGrain>(0);
        var hosts = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        if (hosts.Length != count) throw new InvalidOperationException($"{hosts.Length} silos are active, {count} were started");

        // Warm-up outside the timing: model activations on every silo, JIT, first class maps.
        var warm = await session.Grains.GetGrain<IRunGrain>("scale-warmup").Configure(new RunRequest(model));
        await SourceIngestion.IngestAsync(session.Grains, warm.Name, records.Subset([records.Records[0]]),
            parallel, chunkSeconds: 30, cancellation, showProgress: false);

        var run = await session.Grains.GetGrain<IRunGrain>("scale").Configure(new RunRequest(model));
        await Task.Delay(500, cancellation); // the silos report their message counts every 250 ms
        var cpuBefore = silos.CpuSeconds();
        var messagesBefore = silos.Messages();
        var summary = await SourceIngestion.IngestAsync(session.Grains, run.Name, records, parallel, chunkSeconds: 30, cancellation, showProgress: false);
        var cpuAfter = silos.CpuSeconds();
        await Task.Delay(500, cancellation);
        var messagesAfter = silos.Messages();

        return new ScalePoint(count, summary.Beats, summary.Elapsed.TotalSeconds, [.. cpuAfter.Zip(cpuBefore, (a, b) => a - b)],
            messagesAfter.All - messagesBefore.All, messagesAfter.Remote - messagesBefore.Remote,
            messagesAfter.RemoteBytes - messagesBefore.RemoteBytes, summary.BatchMilliseconds);
    }

    /// <summary>
    /// The live workload on <paramref name="count"/> silos: <paramref name="monitors"/> monitors at real time for
    /// <paramref name="seconds"/>. Its latencies are each chunk's, from send to acknowledgement (scored and published).
    /// </summary>
    public static async Task<ScalePoint> MeasureLiveAsync(int count, int monitors, double seconds, string model, string? models, CancellationToken cancellation)
    {
        await using var silos = await LocalSilos.StartAsync(count, models, cancellation);
        var connect = new ClusterSettings { Gateway = string.Join(',', silos.GatewayPorts.Select(p => $"127.0.0.1:{p}")), ClusterId = silos.ClusterId };
        await using var session = await ClusterSession.StartAsync(connect, cancellation);

        var warm = await session.Grains.GetGrain<IRunGrain>("scale-warmup").Configure(new RunRequest(model));
        await SourceIngestion.IngestAsync(session.Grains, warm.Name, new SyntheticSource(seed: 7, records: count, seconds: 60),
            parallel: count, chunkSeconds: 30, cancellation, showProgress: false);

        var run = await session.Grains.GetGrain<IRunGrain>("scale-live").Configure(new RunRequest(model));
        var latencies = new ConcurrentQueue<float>();
        var fleet = new MonitorFleet(session.Grains, run.Name, new FleetOptions(monitors, Speed: 1), acknowledged: a =>
            latencies.Enqueue((float)Stopwatch.GetElapsedTime(a.SentTimestamp).TotalMilliseconds));
        await Task.Delay(500, cancellation); // the silos report their message counts every 250 ms
        var cpuBefore = silos.CpuSeconds();
        var messagesBefore = silos.Messages();
        var status = await fleet.RunAsync(TimeSpan.FromSeconds(seconds), null, cancellation);
        var cpuAfter = silos.CpuSeconds();
        await Task.Delay(500, cancellation);
        var messagesAfter = silos.Messages();

        return new ScalePoint(count, status.Beats, status.Elapsed.TotalSeconds, [.. cpuAfter.Zip(cpuBefore, (a, b) => a - b)],
            messagesAfter.All - messagesBefore.All, messagesAfter.Remote - messagesBefore.Remote,
            messagesAfter.RemoteBytes - messagesBefore.RemoteBytes, [.. latencies]) { Lag = status.Lag, Monitors = monitors };
    }
}
