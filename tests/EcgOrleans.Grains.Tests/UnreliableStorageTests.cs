using System.Collections.Concurrent;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Grains.Hosting;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace EcgOrleans.Grains.Tests;

/// <summary>
/// Grain storage that goes away for a few calls now and then, the way Redis does when it restarts: reads and writes
/// of one state name fail, and one failing write in two has in fact been applied (its reply was lost).
/// </summary>
internal sealed class UnreliableStorage(DeepCopier copier) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string, GrainId), (object State, string ETag)> _data = new();
    private readonly Lock _gate = new();
    private int _calls;
    private int _outages;

    public static string? Flaky { get; set; }

    /// <summary>Calls on the flaky state between the starts of two outages.</summary>
    public static int OutageEvery { get; set; } = 23;

    public const int OutageLength = 3;

    public int Outages => _outages;

    /// <summary>What storage holds for a grain's state (a copy), or null.</summary>
    public T? Stored<T>(string stateName, GrainId grainId) where T : class
    {
        lock (_gate) return _data.TryGetValue((stateName, grainId), out var entry) ? copier.Copy((T)entry.State) : null;
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_gate)
        {
            if (Down(stateName)) throw new IOException($"storage down: read of {stateName} {grainId}");
            if (_data.TryGetValue((stateName, grainId), out var entry))
            {
                grainState.State = copier.Copy((T)entry.State);
                grainState.ETag = entry.ETag;
                grainState.RecordExists = true;
            }
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_gate)
        {
            var down = Down(stateName);
            if (down && _calls % 2 == 0) throw new IOException($"storage down: write of {stateName} {grainId} lost");
            var stored = _data.TryGetValue((stateName, grainId), out var entry) ? entry.ETag : null;
            if (stored != grainState.ETag) throw new InconsistentStateException($"etag {grainState.ETag} is not the stored {stored}", stored, grainState.ETag);
            var etag = Guid.NewGuid().ToString("N");
            _data[(stateName, grainId)] = (copier.Copy(grainState.State)!, etag);
            if (down) throw new IOException($"storage down: write of {stateName} {grainId} applied, reply lost");
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_gate) _data.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <summary>Every <see cref="OutageEvery"/>th call on the flaky state starts an outage of <see cref="OutageLength"/> calls.</summary>
    private bool Down(string stateName)
    {
        if (stateName != Flaky) return false;
        var position = ++_calls % OutageEvery;
        if (position == 0) _outages++;
        return position < OutageLength;
    }
}

public sealed class UnreliableStorageFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<UnreliableStorage>();
            silo.Services.AddKeyedSingleton<IGrainStorage>(EcgStorage.Name, (services, _) => services.GetRequiredService<UnreliableStorage>());
            silo.AddEcgGrains(new EcgOptions { Models = Path.Combine(Path.GetTempPath(), "no-bundled-models") });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Cluster.Client.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry).Upload("test-window", TestModels.Checkpoint());
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[Trait("Category", "Data")]
[Trait("Category", "Slow")]
public sealed class UnreliableStorageTests(UnreliableStorageFixture fixture) : IClassFixture<UnreliableStorageFixture>
{
    /// <summary>
    /// Flaky class-map storage fails epochs part-way (some maps applied, others not); flaky record storage loses commit
    /// points or applies them without telling (the record abandons the epoch, then resolves what storage holds).
    /// </summary>
    [Theory]
    [InlineData("classmap", 23)]
    [InlineData("record", 7)] // a record writes once per commit point: fewer calls, so more frequent outages
    public async Task Class_maps_lose_nothing_and_count_nothing_twice_while_storage_comes_and_goes(string flaky, int outageEvery)
    {
        var records = new[] { "100", "208" }.Select(r => WfdbRecord.Read(TestData.MitBihDirectory, r)).Select(r => Trim(r, minutes: 4)).ToArray();
        var expected = OnePassMaps.Compute(TestModels.Checkpoint(), records);
        var grains = fixture.Cluster.Client;
        var run = $"flaky-{flaky}";
        await grains.GetGrain<IRunGrain>(run).Configure(new RunRequest("test-window"));

        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<UnreliableStorage>();
        var outagesBefore = storage.Outages;
        UnreliableStorage.Flaky = flaky;
        UnreliableStorage.OutageEvery = outageEvery;
        int failures;
        try
        {
            failures = (await Task.WhenAll(records.Select(r => RecordDriver.StreamAsync(grains, run, "mitdb", r, chunkSamples: 4000, flushEvery: 1, retryFailures: true)))).Sum();
        }
        finally
        {
            UnreliableStorage.Flaky = null;
        }

        var outages = storage.Outages - outagesBefore;
        Assert.True(outages >= 5, $"only {outages} storage outages of {flaky} state: the test did not test much");
        Assert.True(failures > 0, "no chunk failed: the outages never reached the client");
        foreach (var (key, accumulator) in expected)
        {
            var map = await grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, key)).Get();
            Assert.True(accumulator.Count == map.Count, $"{key}: {map.Count} beats, one pass {accumulator.Count}");
            var worst = accumulator.SaliencyMean.Zip(map.SaliencyMean).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(worst < 1e-5, $"{key}: largest saliency difference {worst}");
        }
    }

    /// <summary>
    /// Class maps forget a publisher after <see cref="EcgOrleans.Grains.Pipeline.PublisherMarks.Retention"/>: a contribution that storage
    /// kept after it was applied would then look unapplied to a record activated later, and be published again. So a
    /// record that is done, or that deactivates, leaves nothing applied in storage.
    /// </summary>
    [Fact]
    public async Task A_record_that_is_done_or_deactivated_leaves_no_applied_contribution_in_storage()
    {
        var records = new[] { "100", "208" }.Select(r => Trim(WfdbRecord.Read(TestData.MitBihDirectory, r), minutes: 2)).ToArray();
        var grains = fixture.Cluster.Client;
        var run = $"forget-{Guid.NewGuid():N}"[..16];
        await grains.GetGrain<IRunGrain>(run).Configure(new RunRequest("test-window"));
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<UnreliableStorage>();
        EcgOrleans.Grains.Pipeline.RecordState Stored(string record) =>
            storage.Stored<EcgOrleans.Grains.Pipeline.RecordState>("record", grains.GetGrain<IRecordGrain>(GrainKeys.Record(run, "mitdb", record)).GetGrainId())!;

        // Done: the last commit point is written again without its applied contribution.
        await RecordDriver.StreamAsync(grains, run, "mitdb", records[0], chunkSamples: 4000, flushEvery: 1);
        Assert.True(Stored("100").Done);
        Assert.Empty(Stored("100").Pending);

        // Mid-stream, a live record's last commit point holds its applied contribution until the record deactivates.
        var plan = new ChunkPlan(records[1], 4000);
        var grain = grains.GetGrain<IRecordGrain>(GrainKeys.Record(run, "mitdb", "208"));
        for (var i = 0; i < 3; i++) await grain.Append(plan.Chunk(i, flush: true));
        Assert.NotEmpty(Stored("208").Pending);
        await grain.AsReference<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        for (var tries = 0; tries < 100 && Stored("208").Pending.Count > 0; tries++) await Task.Delay(50);
        Assert.Empty(Stored("208").Pending);
        Assert.Equal(3, Stored("208").NextSequence);
    }

    /// <summary>
    /// A done record is not called again, so the run must hold its last report before the record's last call
    /// returns: kept in memory until the run's next write, it would be lost with a silo killed in between.
    /// </summary>
    [Fact]
    public async Task A_run_stores_a_record_as_done_before_the_records_last_call_returns()
    {
        var record = Trim(WfdbRecord.Read(TestData.MitBihDirectory, "101"), minutes: 1);
        var grains = fixture.Cluster.Client;
        var run = $"done-{Guid.NewGuid():N}"[..16];
        await grains.GetGrain<IRunGrain>(run).Configure(new RunRequest("test-window"));
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<UnreliableStorage>();

        await RecordDriver.StreamAsync(grains, run, "mitdb", record, chunkSamples: 4000, flushEvery: 1);

        var stored = storage.Stored<RunState>("run", grains.GetGrain<IRunGrain>(run).GetGrainId());
        Assert.NotNull(stored);
        Assert.True(stored.Records["mitdb/101"].Done, "the run's storage does not yet hold the record as done");
    }

    /// <summary>
    /// A publisher whose epoch fails deactivates; a deactivating activation holds new messages until the running ones
    /// end. Had it kept waiting for a later epoch, the publications that epoch still needed would be held and the ones
    /// already in it would never end: the records publishing through it stalled for good (seen once in a cluster
    /// test's kill -9). Every epoch it holds must fail at once, as if the activation were lost.
    /// </summary>
    [Fact]
    public async Task A_publisher_whose_epoch_fails_fails_the_later_epochs_it_holds_at_once()
    {
        var grains = fixture.Cluster.Client;
        var run = $"stall-{Guid.NewGuid():N}"[..16];
        await grains.GetGrain<IRunGrain>(run).Configure(new RunRequest("test-window"));
        var publisher = grains.GetGrain<IClassMapPublisher>(run);
        static PartialMap[] Part() => [new PartialMap("reference/N", 4, 1, new double[4], new double[4], new double[4], new double[4])];

        var first = await publisher.Reserve();
        await Task.Delay(new EcgOptions().PublishInterval * 3); // the first epoch closes, waiting for its publication
        var second = await publisher.Reserve();
        var third = await publisher.Reserve();
        Assert.NotEqual(first.Epoch, second.Epoch);
        Assert.Equal(second.Epoch, third.Epoch);

        UnreliableStorage.Flaky = "classmap";
        UnreliableStorage.OutageEvery = 2; // every class-map read and write fails
        try
        {
            var waiting = publisher.Publish(second, Part()); // in the later epoch, which waits for the third
            await Assert.ThrowsAnyAsync<Exception>(() => publisher.Publish(first, Part())); // the first epoch fails
            var late = publisher.Publish(third, Part());

            var both = Task.WhenAll(waiting, late);
            await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(waiting.IsFaulted, $"the publication in the later epoch is {waiting.Status}, not failed");
            Assert.True(late.IsFaulted, $"the late publication is {late.Status}, not failed");
        }
        finally
        {
            UnreliableStorage.Flaky = null;
            UnreliableStorage.OutageEvery = 23;
        }
    }

    /// <summary>
    /// A record whose write fails abandons its epoch; the other records of that epoch, whose writes reached storage,
    /// later ask each class map whether it was applied. Had the publisher gone on to apply a later epoch, the map
    /// would hold that epoch's mark and answer "applied" for the abandoned one too, and their beats would be dropped
    /// uncounted (seen in the cluster test that restarts Redis mid-ingest: exactly the abandoned epoch's beats were
    /// missing). The abandoned epoch must still read as not applied after a later publication reaches the map.
    /// </summary>
    [Fact]
    public async Task An_abandoned_epoch_reads_as_not_applied_after_a_later_epoch_reaches_the_map()
    {
        var grains = fixture.Cluster.Client;
        var run = $"abandon-{Guid.NewGuid():N}"[..16];
        await grains.GetGrain<IRunGrain>(run).Configure(new RunRequest("test-window"));
        var publisher = grains.GetGrain<IClassMapPublisher>(run);
        var map = grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, "reference/N"));
        static PartialMap[] Part() => [new PartialMap("reference/N", 4, 1, new double[4], new double[4], new double[4], new double[4])];

        // Two records in one epoch (the epoch timer may fall between two reservations: then both go out and we try again).
        var published = 0;
        PublicationTicket written, abandoned;
        while (true)
        {
            written = await publisher.Reserve();
            abandoned = await publisher.Reserve();
            if (written.Epoch == abandoned.Epoch) break;
            await Task.WhenAll(publisher.Publish(written, Part()), publisher.Publish(abandoned, Part()));
            published += 2;
        }
        var publication = publisher.Publish(written, Part());
        await publisher.Abandon(abandoned);
        await Assert.ThrowsAsync<PublicationFailedException>(() => publication);

        // A later publication of the silo's records reaches the map (through a new publisher activation if this one stopped).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var later = await publisher.Reserve();
                await publisher.Publish(later, Part());
                published++;
                break;
            }
            catch (PublicationFailedException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }

        Assert.False(await map.Resolve(written.Publisher, written.Epoch), "the map answers that the abandoned epoch was applied");
        Assert.Equal(published, (await map.Get()).Count);
    }

    private static WfdbRecord Trim(WfdbRecord record, int minutes)
    {
        var n = (int)(minutes * 60 * record.Header.SamplingFrequency);
        return new WfdbRecord(record.Header with { SampleCount = n }, [.. record.Digital.Select(d => d[..n])], [.. record.Annotations.Where(a => a.Sample < n)]);
    }
}
