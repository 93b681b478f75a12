using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Pipeline;
using EcgOrleans.Grains.Telemetry;
using EcgOrleans.Ml.ClassMaps;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace EcgOrleans.Grains;

[GenerateSerializer, Alias("ecg.ClassMapState")]
public sealed class ClassMapState
{
    [Id(0)] public int WaveformLength { get; set; }
    [Id(1)] public long Count { get; set; }
    [Id(2)] public double[] SaliencyMean { get; set; } = [];
    [Id(3)] public double[] SaliencyM2 { get; set; } = [];
    [Id(4)] public double[] BeatMean { get; set; } = [];
    [Id(5)] public double[] BeatM2 { get; set; } = [];

    /// <summary>Per record key, the highest batch merged: a record sends its batches in order, so anything at or below it is a replay.</summary>
    [Id(6)] public Dictionary<string, long> LastBatch { get; set; } = [];

    [Id(7)] public long Merges { get; set; }
    [Id(8)] public DateTimeOffset Updated { get; set; }
}

/// <summary>
/// One class map of one run ("run/grouping/class"): merges each batch's partial map exactly once, persists
/// before it answers (so an acknowledged merge survives a crash), and pushes the new map to observers.
/// </summary>
public sealed class ClassMapGrain(
    [PersistentState("classmap", EcgStorage.Name)] IPersistentState<ClassMapState> state,
    ILogger<ClassMapGrain> logger) : Grain, IClassMapGrain
{
    private static readonly TimeSpan NotifyEvery = TimeSpan.FromMilliseconds(500);
    private readonly ObserverManager<IClassMapObserver> _observers = new(TimeSpan.FromMinutes(2), logger);
    private ClassMapAccumulator? _accumulator;
    private bool _changed;

    private string Run => GrainKeys.ParseClassMap(this.GetPrimaryKeyString()).Run;

    private string MapKey => GrainKeys.ParseClassMap(this.GetPrimaryKeyString()).MapKey;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Count > 0)
        {
            var s = state.State;
            _accumulator = ClassMapAccumulator.FromState(s.WaveformLength, s.SaliencyMean.Length - s.WaveformLength, s.Count,
                s.SaliencyMean, s.SaliencyM2, s.BeatMean, s.BeatM2);
        }
        this.RegisterGrainTimer(NotifyObservers, new GrainTimerCreationOptions(NotifyEvery, NotifyEvery));
        return Task.CompletedTask;
    }

    public async Task<bool> Merge(string recordKey, long batchSequence, PartialMap partial)
    {
        if (state.State.LastBatch.TryGetValue(recordKey, out var last) && batchSequence <= last)
        {
            EcgMetrics.ClassMapMerge(MapKey, merged: false);
            return false;
        }

        ClassMapAccumulator incoming;
        try
        {
            incoming = ClassMapConversions.ToAccumulator(partial);
        }
        catch (ArgumentException e)
        {
            throw new EcgRequestException(EcgRequestException.Codes.InvalidBatch, $"class map {this.GetPrimaryKeyString()}: {e.Message}");
        }
        if (partial.Key != MapKey)
            throw new EcgRequestException(EcgRequestException.Codes.InvalidBatch, $"partial map for '{partial.Key}' sent to class map '{MapKey}'");
        if (_accumulator is { } current && (current.WaveformLength != incoming.WaveformLength || current.RhythmLength != incoming.RhythmLength))
            throw new EcgRequestException(EcgRequestException.Codes.InvalidBatch,
                $"class map {this.GetPrimaryKeyString()} holds maps of {current.WaveformLength}+{current.RhythmLength} values, not {incoming.WaveformLength}+{incoming.RhythmLength}");

        var merged = _accumulator?.Clone() ?? new ClassMapAccumulator(incoming.WaveformLength, incoming.RhythmLength);
        merged.Merge(incoming);
        var previous = state.State;
        state.State = new ClassMapState
        {
            WaveformLength = merged.WaveformLength,
            Count = merged.Count,
            SaliencyMean = merged.SaliencyMean,
            SaliencyM2 = merged.SaliencyM2,
            BeatMean = merged.BeatMean,
            BeatM2 = merged.BeatM2,
            LastBatch = new Dictionary<string, long>(previous.LastBatch) { [recordKey] = batchSequence },
            Merges = previous.Merges + 1,
            Updated = DateTimeOffset.UtcNow,
        };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Whether the write reached storage is unknown (Redis may have applied it and lost the reply, or be
            // down so that re-reading fails too). Keep nothing of this merge here, and let the next activation
            // load what storage really holds: the caller's retry is then merged, or dropped as a replay.
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
        _accumulator = merged;
        _changed = true;
        EcgMetrics.ClassMapMerge(MapKey, merged: true);
        return true;
    }

    public Task<ClassMapView> Get() => Task.FromResult(View());

    public Task Subscribe(IClassMapObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IClassMapObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private ClassMapView View() => ClassMapConversions.ToView(Run, MapKey, _accumulator, state.State.Merges, state.State.Updated);

    private Task NotifyObservers()
    {
        if (!_changed || _observers.Count == 0) return Task.CompletedTask;
        _changed = false;
        var view = View();
        return _observers.Notify(o => o.OnUpdated(view));
    }
}
