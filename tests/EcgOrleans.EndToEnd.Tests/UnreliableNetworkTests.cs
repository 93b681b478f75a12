using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Live;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Synthetic;
using Orleans.Core.Internal;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary>A live monitor whose calls get lost or fail, and whose grain is deactivated now and then, still streams every beat exactly once.</summary>
[Collection(SiloCollection.Name)]
[Trait("Category", "Slow")]
public sealed class UnreliableNetworkTests(SiloFixture silo)
{
    private const int Steps = 40;

    [Fact]
    public async Task Lost_acknowledgements_failed_calls_and_deactivations_change_no_count()
    {
        // A whole loop's worth of chunks and a wrap: the monitor replays 30 s of its patient from an offset.
        var patient = PatientPool.Synthetic(seed: 1, patients: 2, seconds: 30).Patients[1];
        var clean = await StreamAsync(await silo.NewRunAsync("clean"), patient, unreliable: false);
        var flaky = await StreamAsync(await silo.NewRunAsync("flaky"), patient, unreliable: true);

        Assert.True(flaky.Grain!.LostAcknowledgements > 0 && flaky.Grain.FailedCalls > 0 && flaky.Grain.Deactivations > 0);
        Assert.True(flaky.Monitor.Resumes > 0, "a chunk applied but not acknowledged is re-sent, refused as applied, and skipped");
        Assert.Equal(Steps, flaky.Progress.NextSequence);
        Assert.Equal(Steps * 360L, flaky.Progress.Samples);
        Assert.Equal(clean.Progress.BeatsScored, flaky.Progress.BeatsScored);
        Assert.Equal(clean.Counts, flaky.Counts);
        Assert.Equal(flaky.Monitor.Beats, flaky.Counts.Values.Sum());
    }

    private async Task<(LiveMonitor Monitor, UnreliableRecordGrain? Grain, RecordProgress Progress, Dictionary<string, long> Counts)> StreamAsync(
        RunConfig run, PatientLoop patient, bool unreliable)
    {
        var real = silo.Grains.GetGrain<IRecordGrain>(GrainKeys.Record(run.Name, MonitorFleet.Dataset, "monitor-000001"));
        var flaky = unreliable ? new UnreliableRecordGrain(real) : null;
        var monitor = new LiveMonitor(flaky ?? real, ClientResilience.Create(), run.Name, new MonitorFeed("monitor-000001", patient, offset: 20 * 360, chunkSamples: 360));
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await monitor.StartAsync(limit.Token);
        for (var i = 0; i < Steps; i++) await monitor.StepAsync(limit.Token);
        var maps = await RunMaps.ReadAsync(silo.Grains, run.Name, MapSelection.All);
        return (monitor, flaky, await real.GetProgress(), ClassCounts.Of(maps.Maps, ClassMapGrouping.Reference));
    }

    /// <summary>
    /// The real grain behind an unreliable link: every 5th call fails before reaching it, every 3rd reaches it but its
    /// answer is lost, and before every 7th the grain is deactivated (it comes back from its last commit point).
    /// </summary>
    private sealed class UnreliableRecordGrain(IRecordGrain grain) : IRecordGrain
    {
        private int _calls;

        public int FailedCalls { get; private set; }

        public int LostAcknowledgements { get; private set; }

        public int Deactivations { get; private set; }

        public async Task<ChunkAck> Append(SignalChunk chunk)
        {
            var call = ++_calls;
            if (call % 5 == 0)
            {
                FailedCalls++;
                throw new TimeoutException($"injected: chunk {chunk.Sequence} never reached the grain");
            }
            if (call % 7 == 0)
            {
                Deactivations++;
                await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
            }
            var ack = await grain.Append(chunk);
            if (call % 3 == 0)
            {
                LostAcknowledgements++;
                throw new TimeoutException($"injected: the acknowledgement of chunk {chunk.Sequence} was lost");
            }
            return ack;
        }

        public Task<RecordProgress> GetProgress() => grain.GetProgress();
    }
}
