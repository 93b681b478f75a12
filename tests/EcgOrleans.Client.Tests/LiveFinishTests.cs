using System.Collections.Concurrent;
using System.Reflection;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Live;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Client.Tests;

/// <summary>
/// A record grain reduced to its chunk protocol: it applies chunk i only when it expects i, commits every
/// <see cref="CommitEvery"/> chunks (and at the last), counts the AAMI beats of the chunks it holds, and can roll back
/// to its commit point or lose an acknowledgement, as a grain on a killed silo would.
/// </summary>
internal sealed class FakeRecordGrain : IRecordGrain
{
    private readonly object _lock = new();
    private long[] _counts = new long[Aami.ClassCount];
    private long[] _committedCounts = new long[Aami.ClassCount];
    private long _next, _committed = -1;
    private bool _done;

    public int CommitEvery { get; init; } = 1;

    /// <summary>Lose the acknowledgement of the call that applies the chunk with this sequence (once).</summary>
    public long? LoseAckOf { get; set; }

    /// <summary>Lose the acknowledgement of the call that applies the last chunk (once).</summary>
    public bool LoseAckOfLast { get; set; }

    /// <summary>Every chunk the grain applied, in order (replays after a rollback included).</summary>
    public List<SignalChunk> Applied { get; } = [];

    public static int InFlight;
    public static int MaxInFlight;

    public long[] Counts
    {
        get
        {
            lock (_lock) return [.. _committedCounts];
        }
    }

    public bool Done
    {
        get
        {
            lock (_lock) return _done;
        }
    }

    /// <summary>Forgets what came after the commit point, as a new activation would.</summary>
    public void RollBack()
    {
        lock (_lock)
        {
            _next = _committed + 1;
            _counts = [.. _committedCounts];
        }
    }

    public async Task<ChunkAck> Append(SignalChunk chunk)
    {
        var now = Interlocked.Increment(ref InFlight);
        InterlockedMax(ref MaxInFlight, now);
        try
        {
            await Task.Delay(1);
            bool lose;
            ChunkAck ack;
            lock (_lock)
            {
                if (_done) throw new EcgRequestException(Codes.RecordComplete, "complete");
                if (chunk.Sequence != _next) throw new EcgRequestException(Codes.ChunkOutOfOrder, $"send {_next}", _next);
                if (chunk.Samples.Length == 0 && !chunk.IsLast) throw new EcgRequestException(Codes.InvalidChunk, "only the last may be empty");
                Applied.Add(chunk);
                MonitorFeed.AddReferenceCounts(_counts, chunk);
                _next++;
                _done = chunk.IsLast;
                if (chunk.IsLast || _next % CommitEvery == 0)
                {
                    _committed = chunk.Sequence;
                    _committedCounts = [.. _counts];
                }
                lose = (LoseAckOf == chunk.Sequence) || (chunk.IsLast && LoseAckOfLast);
                if (lose)
                {
                    LoseAckOf = null;
                    LoseAckOfLast = false;
                }
                ack = new ChunkAck(_next, _committed, _counts.Sum(), _done);
            }
            if (lose) throw new TimeoutException("acknowledgement lost");
            return ack;
        }
        finally
        {
            Interlocked.Decrement(ref InFlight);
        }
    }

    public Task<RecordProgress> GetProgress()
    {
        lock (_lock) return Task.FromResult(new RecordProgress("live", "m", _next, _committed, 0, _counts.Sum(), 0, _done));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
        }
    }
}

/// <summary>A grain factory that hands out one <see cref="FakeRecordGrain"/> per key.</summary>
public class FakeGrainFactory : DispatchProxy
{
    internal ConcurrentDictionary<string, FakeRecordGrain> Grains { get; } = new();

    internal static (IGrainFactory Factory, ConcurrentDictionary<string, FakeRecordGrain> Grains) Create()
    {
        var factory = Create<IGrainFactory, FakeGrainFactory>();
        return (factory, ((FakeGrainFactory)(object)factory).Grains);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (method is { Name: "GetGrain", IsGenericMethod: true } && method.GetGenericArguments()[0] == typeof(IRecordGrain) && args?[0] is string key)
            return Grains.GetOrAdd(key, _ => new FakeRecordGrain { CommitEvery = 3 });
        throw new NotSupportedException($"{method?.Name} is not faked");
    }
}

public sealed class LiveFinishTests
{
    private static readonly PatientPool Pool = PatientPool.Synthetic(seed: 1, patients: 2, seconds: 30);

    private static MonitorFeed Feed(int patient = 0) => new("monitor-000001", Pool.Patients[patient], offset: 1234, chunkSamples: 360);

    private static long[] Sum(IEnumerable<long[]> counts)
    {
        var sum = new long[Aami.ClassCount];
        foreach (var c in counts)
        {
            for (var i = 0; i < sum.Length; i++) sum[i] += c[i];
        }
        return sum;
    }

    [Fact]
    public void The_last_chunk_is_empty_and_numbered_on_and_the_feed_then_makes_no_more()
    {
        var feed = Feed();
        for (var i = 0; i < 3; i++) feed.Next();

        var last = feed.End();

        Assert.Equal((3L, 4L, 3L), (last.Sequence, feed.NextSequence, feed.Last!.Value));
        Assert.True(last.IsLast && last.Flush && last.Samples.Length == 0);
        Assert.Empty(last.Annotations!); // the record's chunks carry annotations, so its last one does too (none)
        Assert.Equal(last.Sequence, feed.End().Sequence); // ending twice is the same end
        Assert.True(feed.Chunk(3).IsLast);
        Assert.False(feed.Chunk(2).IsLast);
        Assert.Throws<InvalidOperationException>(() => feed.Next());
        Assert.Throws<ArgumentOutOfRangeException>(() => feed.Chunk(4));

        var unannotated = new MonitorFeed("m", new PatientLoop("x", 360, new float[1000], annotations: null), 0, 360);
        unannotated.Next();
        Assert.Null(unannotated.End().Annotations);
    }

    [Fact]
    public void Reference_counts_are_the_AAMI_classes_of_the_annotations_in_the_chunks_made()
    {
        var feed = Feed(patient: 1);
        var chunks = Enumerable.Range(0, 40).Select(_ => feed.Next()).ToList();
        chunks.Add(feed.End());

        var counts = feed.ReferenceCounts(feed.NextSequence);

        var expected = new long[Aami.ClassCount];
        foreach (var a in chunks.SelectMany(c => c.Annotations!))
        {
            if (Aami.FromCode((AnnotationCode)a.Code) is { } c) expected[(int)c]++;
        }
        Assert.Equal(expected, counts);
        Assert.True(counts.Sum() > 30, $"{counts.Sum()} beats in 40 s");
        // A pure function of the feed: the first k chunks alone, whenever asked.
        Assert.Equal(Feed(patient: 1).ReferenceCounts(10), feed.ReferenceCounts(10));
        Assert.Equal(new long[Aami.ClassCount], feed.ReferenceCounts(0));
        // A code outside the AAMI classes (a rhythm change, '+') is no beat.
        var withRhythm = new SignalChunk(0, 360, [0f], [new ChunkAnnotation(0, (byte)AnnotationCode.Rhythm), new ChunkAnnotation(0, (byte)AnnotationCode.Normal)], false, true);
        var tally = new long[Aami.ClassCount];
        MonitorFeed.AddReferenceCounts(tally, withRhythm);
        Assert.Equal(1, tally.Sum());
    }

    [Fact]
    public async Task Finishing_resends_what_the_grain_lost_then_ends_the_record_with_an_empty_last_chunk()
    {
        var grain = new FakeRecordGrain { CommitEvery = 4 };
        var feed = Feed();
        var monitor = new LiveMonitor(grain, ClientResilience.Create(), "r", feed);
        await monitor.StartAsync(CancellationToken.None);
        for (var i = 0; i < 6; i++) await monitor.StepAsync(CancellationToken.None);
        Assert.Equal(2, monitor.Pending); // chunks 4 and 5 are above the commit point (3)

        grain.RollBack(); // the grain's silo died: chunks 4 and 5 are gone with it
        await monitor.FinishAsync(CancellationToken.None);

        Assert.True(monitor.Done && grain.Done);
        Assert.Equal(0, monitor.Pending);
        Assert.Equal([0L, 1, 2, 3, 4, 5, 4, 5, 6], grain.Applied.Select(c => c.Sequence));
        Assert.True(grain.Applied[^1] is { IsLast: true, Samples.Length: 0 });
        Assert.Equal(monitor.ReferenceCounts(), grain.Counts);
        Assert.Equal(monitor.ReferenceCounts().Sum(), monitor.Beats);
        Assert.Equal(1, monitor.Resumes);
    }

    [Fact]
    public async Task A_lost_acknowledgement_of_the_last_chunk_ends_done_not_in_an_error()
    {
        var grain = new FakeRecordGrain { LoseAckOfLast = true };
        var monitor = new LiveMonitor(grain, ClientResilience.Create(), "r", Feed());
        await monitor.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++) await monitor.StepAsync(CancellationToken.None);

        await monitor.FinishAsync(CancellationToken.None); // the retry of the last chunk hears "record complete"

        Assert.True(monitor.Done);
        Assert.Equal(4, monitor.Delivered);
        Assert.Single(grain.Applied, c => c.IsLast);
        Assert.Equal(monitor.ReferenceCounts(), grain.Counts);
        Assert.Equal(grain.Counts.Sum(), monitor.Beats);
        await monitor.FinishAsync(CancellationToken.None); // finishing again changes nothing
        Assert.Single(grain.Applied, c => c.IsLast);
    }

    [Fact]
    public async Task A_monitor_that_finished_makes_no_more_chunks_and_a_done_record_takes_no_new_session()
    {
        var grain = new FakeRecordGrain();
        var monitor = new LiveMonitor(grain, ClientResilience.Create(), "r", Feed());
        await monitor.StartAsync(CancellationToken.None);
        await monitor.StepAsync(CancellationToken.None);
        await monitor.FinishAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => monitor.StepAsync(CancellationToken.None));
        var again = new LiveMonitor(grain, ClientResilience.Create(), "r", Feed());
        Assert.Contains("is complete", (await Assert.ThrowsAsync<InvalidOperationException>(() => again.StartAsync(CancellationToken.None))).Message);
    }

    [Fact]
    public async Task A_fleet_finish_ends_every_record_with_at_most_MaxInFlight_deliveries_at_once()
    {
        var (factory, grains) = FakeGrainFactory.Create();
        var fleet = new MonitorFleet(factory, "r", new FleetOptions(Monitors: 24, Speed: 20, MaxInFlight: 3),
            PatientPool.Synthetic(seed: 1, patients: 3, seconds: 30));
        await Assert.ThrowsAsync<InvalidOperationException>(() => fleet.FinishAsync(CancellationToken.None)); // not run yet

        FakeRecordGrain.MaxInFlight = 0;
        var streamed = await fleet.RunAsync(TimeSpan.FromSeconds(0.5), null, CancellationToken.None);
        foreach (var g in grains.Values.Take(8)) g.RollBack();
        var finished = await fleet.FinishAsync(CancellationToken.None);

        Assert.Equal(24, grains.Count);
        Assert.All(fleet.Monitors, m => Assert.True(m.Done, m.Record));
        Assert.All(grains.Values, g => Assert.True(g.Done && g.Applied[^1].IsLast && g.Applied.Count(c => c.IsLast) == 1));
        Assert.InRange(FakeRecordGrain.MaxInFlight, 1, 3);
        Assert.True(finished.Beats >= streamed.Beats);
        Assert.Equal(Sum(fleet.Monitors.Select(m => m.ReferenceCounts())), Sum(grains.Values.Select(g => g.Counts)));
        Assert.Equal(finished.Beats, Sum(grains.Values.Select(g => g.Counts)).Sum());
    }
}
