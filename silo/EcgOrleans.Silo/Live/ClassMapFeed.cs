using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EcgOrleans.Abstractions;
using EcgOrleans.Ml.ClassMaps;

namespace EcgOrleans.Silo.Live;

/// <summary>
/// One connection's live view of a run's class maps. The feed is itself the observer the class-map grains call
/// (through an object reference it holds, so the callbacks reach it for as long as the stream lasts); it
/// resubscribes well before the grains' observer managers forget it (2 minutes), and looks for maps the run
/// gains. Pending updates are kept as the latest view per map, so a slow reader never makes the feed hold more
/// than one view per map.
/// </summary>
public sealed class ClassMapFeed(IGrainFactory grains, string run, ClassMapGrouping? grouping, ILogger<ClassMapFeed> logger) : IClassMapObserver
{
    public const string RunEvent = "run";
    public const string MapEvent = "map";
    public const string HeartbeatEvent = "heartbeat";

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ResubscribeEvery = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(200);

    private readonly Dictionary<string, ClassMapView> _pending = new(StringComparer.Ordinal);
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SortedSet<string> _subscribed = new(StringComparer.Ordinal);

    /// <summary>Called by class-map grains (one-way); never blocks.</summary>
    public Task OnUpdated(ClassMapView map)
    {
        lock (_pending)
        {
            if (!_pending.TryGetValue(map.Key, out var held) || held.Merges <= map.Merges) _pending[map.Key] = map;
        }
        _signal.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<SseItem<object>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        var reference = grains.CreateObjectReference<IClassMapObserver>(this);
        try
        {
            var info = await RunGrain.GetInfo();
            yield return new SseItem<object>(info, RunEvent);
            foreach (var view in await SubscribeNew(reference, info)) yield return new SseItem<object>(view, MapEvent);

            var lastProgress = DateTime.UtcNow;
            var lastSubscribe = DateTime.UtcNow;
            var lastSent = DateTime.UtcNow;
            while (!cancellation.IsCancellationRequested)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    wait.CancelAfter(ProgressEvery);
                    try
                    {
                        await _signal.Reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                    {
                        // no update within ProgressEvery: fall through to the periodic work
                    }
                }
                _signal.Reader.TryRead(out _);

                foreach (var view in TakePending())
                {
                    lastSent = DateTime.UtcNow;
                    yield return new SseItem<object>(view, MapEvent);
                }

                var now = DateTime.UtcNow;
                if (now - lastProgress >= ProgressEvery)
                {
                    lastProgress = now;
                    var latest = await RunGrain.GetInfo();
                    if (Changed(info, latest))
                    {
                        info = latest;
                        lastSent = now;
                        yield return new SseItem<object>(info, RunEvent);
                    }
                    foreach (var view in await SubscribeNew(reference, info)) yield return new SseItem<object>(view, MapEvent);
                }
                if (now - lastSubscribe >= ResubscribeEvery)
                {
                    lastSubscribe = now;
                    await Task.WhenAll(_subscribed.Select(k => MapGrain(k).Subscribe(reference)));
                }
                if (now - lastSent >= HeartbeatEvery)
                {
                    lastSent = now;
                    yield return new SseItem<object>(new { time = now }, HeartbeatEvent);
                }
                await Task.Delay(MinimumGap, cancellation); // coalesce bursts: at most a few sends per second
            }
        }
        finally
        {
            await Unsubscribe(reference);
        }
    }

    private IRunGrain RunGrain => grains.GetGrain<IRunGrain>(run);

    private IClassMapGrain MapGrain(string mapKey) => grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, mapKey));

    /// <summary>Subscribes to maps not yet followed, and returns their current views (updates may come before them: both are kept).</summary>
    private async Task<ClassMapView[]> SubscribeNew(IClassMapObserver reference, RunInfo info)
    {
        var fresh = info.ClassMaps.Where(k => (grouping is null || k.StartsWith(grouping.Value.Name + "/", StringComparison.Ordinal)) && !_subscribed.Contains(k)).ToList();
        if (fresh.Count == 0) return [];
        await Task.WhenAll(fresh.Select(k => MapGrain(k).Subscribe(reference)));
        _subscribed.UnionWith(fresh);
        return await Task.WhenAll(fresh.Select(k => MapGrain(k).Get()));
    }

    private List<ClassMapView> TakePending()
    {
        lock (_pending)
        {
            var views = _pending.Values.OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
            _pending.Clear();
            return views;
        }
    }

    private static bool Changed(RunInfo before, RunInfo after) =>
        before.BeatsScored != after.BeatsScored || before.Records.Count != after.Records.Count || before.ClassMaps.Count != after.ClassMaps.Count
        || before.Records.Zip(after.Records).Any(p => p.First != p.Second);

    private async Task Unsubscribe(IClassMapObserver reference)
    {
        try
        {
            await Task.WhenAll(_subscribed.Select(k => MapGrain(k).Unsubscribe(reference))).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // The grains forget the observer by themselves after two minutes.
            logger.LogDebug(e, "Unsubscribing a class-map stream of run {Run} failed", run);
        }
        finally
        {
            grains.DeleteObjectReference<IClassMapObserver>(reference);
        }
    }
}
