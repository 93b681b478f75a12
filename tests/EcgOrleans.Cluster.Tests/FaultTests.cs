using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Commands.Cluster;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using EcgOrleans.Tests;
using Polly;

namespace EcgOrleans.Cluster.Tests;

/// <summary>
/// The whole MIT-BIH through a three-silo cluster while things break: nothing lost, nothing counted twice.
/// The AAMI counts of the 48 records are the ground truth (<see cref="ExpectedCounts"/>).
/// </summary>
[Trait("Category", "Data")]
[Collection(ClusterPortsCollection.Name)]
public sealed class FaultTests
{
    private static readonly Lazy<long[]> ExpectedCounts = new(() =>
    {
        var counts = new long[Aami.ClassCount];
        foreach (var record in DatasetSplits.All)
        {
            foreach (var mark in RecordBeats.Marks(Signal.Wfdb.AnnotationReader.Read(TestData.MitBihDirectory, record)))
                counts[(int)mark.Reference!.Value]++;
        }
        return counts;
    });

    private static ClusterSettings Connect(LocalCluster cluster, int silos) =>
        new() { Gateway = cluster.Gateways(silos), ClusterId = "ecg-fault-test" };


    /// <summary>Starts the ingest of all 48 records, runs <paramref name="fault"/> once a share of the beats is in, waits for the end.</summary>
    private static async Task IngestWithFault(IGrainFactory grains, string run, Func<Task> fault)
    {
        var config = await grains.GetGrain<IRunGrain>(run).Configure(new RunRequest(RunDefaults.Model));
        var source = new WfdbDirectorySource(TestData.MitBihDirectory, DatasetSplits.All);
        var ingest = SourceIngestion.IngestAsync(grains, config.Name, source, parallel: 6, chunkSeconds: 30, CancellationToken.None);

        var resilience = ClientResilience.Create();
        while (!ingest.IsCompleted)
        {
            var info = await resilience.ExecuteAsync(async _ => await grains.GetGrain<IRunGrain>(run).GetInfo());
            if (info.BeatsScored > 25_000) break;
            await Task.Delay(500);
        }
        Assert.False(ingest.IsCompleted, "the fault must strike mid-ingest");
        await fault();
        var summary = await ingest;
        Assert.Equal(48, summary.Records);
    }

    [Fact]
    public async Task A_silo_killed_mid_ingest_loses_nothing_and_the_maps_survive_a_cluster_restart()
    {
        await using var cluster = new LocalCluster();
        await cluster.StartRedisAsync();
        cluster.Script("up 3");
        const string run = "fault-kill";

        await using (var session = await ClusterSession.StartAsync(Connect(cluster, 3), CancellationToken.None))
        {
            await IngestWithFault(session.Grains, run, () =>
            {
                cluster.Script("kill 2");
                return Task.CompletedTask;
            });
            Assert.Equal(ExpectedCounts.Value, await ClassCounts.Reference(session.Grains, run));
        }

        cluster.Script("down");
        cluster.Script("up 3");
        await using (var session = await ClusterSession.StartAsync(Connect(cluster, 3), CancellationToken.None))
        {
            Assert.Equal(ExpectedCounts.Value, await ClassCounts.Reference(session.Grains, run));
            var info = await session.Grains.GetGrain<IRunGrain>(run).GetInfo();
            Assert.Equal(48, info.Records.Count(r => r.Done));
        }
    }

    [Fact]
    public async Task A_silo_stopped_with_SIGTERM_mid_ingest_exits_0_and_loses_nothing()
    {
        await using var cluster = new LocalCluster();
        await cluster.StartRedisAsync();
        cluster.Script("up 3");
        const string run = "fault-term";

        await using var session = await ClusterSession.StartAsync(Connect(cluster, 3), CancellationToken.None);
        var stopped = "";
        await IngestWithFault(session.Grains, run, async () => stopped = await Task.Run(() => cluster.Script("term 2")));

        Assert.Contains("exit status 0", stopped);
        Assert.Equal(ExpectedCounts.Value, await ClassCounts.Reference(session.Grains, run));
        // LibTorch's warnings (NNPACK on CPUs it does not support) at most once in the silo's log.
        Assert.True(cluster.Log(2).Split('\n').Count(l => l.Contains("NNPACK")) <= 1, "LibTorch repeats its warnings in the silo's log");
    }

    [Fact]
    public async Task Redis_restarted_mid_ingest_loses_nothing()
    {
        await using var cluster = new LocalCluster();
        await cluster.StartRedisAsync();
        cluster.Script("up 3");
        const string run = "fault-redis";

        await using var session = await ClusterSession.StartAsync(Connect(cluster, 3), CancellationToken.None);
        await IngestWithFault(session.Grains, run, () => cluster.RestartRedisAsync(TimeSpan.FromSeconds(3)));

        Assert.Equal(ExpectedCounts.Value, await ClassCounts.Reference(session.Grains, run));
    }
}
