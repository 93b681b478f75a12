using System.Collections.Concurrent;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Rendering;

namespace EcgOrleans.Client.Maps;

/// <summary>Receives class maps pushed by their grains and keeps the newest view of each.</summary>
internal sealed class ClassMapWatcher : IClassMapObserver
{
    private readonly ConcurrentDictionary<(string Run, string Key), ClassMapView> _latest = new();
    private long _pushes;

    /// <summary>Views pushed by grains so far.</summary>
    public long Pushes => Interlocked.Read(ref _pushes);

    public Task OnUpdated(ClassMapView map)
    {
        Interlocked.Increment(ref _pushes);
        Keep(map);
        return Task.CompletedTask;
    }

    /// <summary>Keeps <paramref name="map"/> unless a view with more merges is already held (pushes and reads may cross).</summary>
    public void Keep(ClassMapView map) =>
        _latest.AddOrUpdate((map.Run, map.Key), map, (_, held) => held.Merges > map.Merges ? held : map);

    public IReadOnlyList<ClassMapView> Maps(string run) =>
        [.. _latest.Where(e => e.Key.Run == run && e.Value.Count > 0).Select(e => e.Value).OrderBy(m => m.Key, MapKeyOrder.Instance)];
}

/// <summary>
/// Keeps a watcher subscribed to the selected class maps of one or more runs: subscribes to maps as they appear,
/// and renews every subscription (re-reading each map) well before the grains forget observers (after 2 minutes,
/// or when a grain is deactivated). Holds the observer and its reference for as long as it lives.
/// </summary>
internal sealed class ClassMapSubscriptions : IAsyncDisposable
{
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(60);

    private readonly IGrainFactory _grains;
    private readonly MapSelection _selection;
    private readonly IClassMapObserver _reference;
    private readonly HashSet<(string Run, string Key)> _subscribed = [];
    private readonly Dictionary<string, RunInfo> _info = [];
    private DateTimeOffset _renewed = DateTimeOffset.MinValue;

    public ClassMapSubscriptions(IGrainFactory grains, IReadOnlyList<string> runs, MapSelection selection)
    {
        _grains = grains;
        _selection = selection;
        Runs = runs;
        Watcher = new ClassMapWatcher();
        _reference = grains.CreateObjectReference<IClassMapObserver>(Watcher);
    }

    public IReadOnlyList<string> Runs { get; }

    /// <summary>The observer; this object holds it, so the runtime's weak reference to it stays alive.</summary>
    public ClassMapWatcher Watcher { get; }

    /// <summary>Reads the runs, subscribes to new maps, and renews all subscriptions when due.</summary>
    public async Task RefreshAsync(CancellationToken cancellation = default)
    {
        var renew = DateTimeOffset.UtcNow - _renewed >= RenewEvery;
        foreach (var run in Runs)
        {
            var info = await _grains.GetGrain<IRunGrain>(run).GetInfo();
            _info[run] = info;
            foreach (var key in info.ClassMaps.Where(_selection.Matches))
            {
                cancellation.ThrowIfCancellationRequested();
                if (!_subscribed.Add((run, key)) && !renew) continue;
                var grain = _grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, key));
                await grain.Subscribe(_reference);
                // A read as well as the subscription: pushes only come with changes, and may have been missed.
                Watcher.Keep(await grain.Get());
            }
        }
        if (renew) _renewed = DateTimeOffset.UtcNow;
    }

    /// <summary>The run as last read, with the newest views of its maps; null before the first refresh.</summary>
    public RunMaps? Current(string run) => _info.TryGetValue(run, out var info)
        ? new RunMaps(info.Config, info.BeatsScored, info.Records.Count, Watcher.Maps(run), DateTimeOffset.UtcNow)
        : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var (run, key) in _subscribed)
        {
            try
            {
                await _grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, key)).Unsubscribe(_reference);
            }
            catch (Exception e) when (Cluster.ClientResilience.IsTransient(e))
            {
                // The subscription expires on its own.
            }
        }
        _grains.DeleteObjectReference<IClassMapObserver>(_reference);
    }
}
