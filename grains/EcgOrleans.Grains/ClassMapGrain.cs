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

    /// <summary>Per publisher activation, the epochs applied and fenced (replay detection; see <see cref="PublisherMarks"/>).</summary>
    [Id(9)] public Dictionary<string, PublisherMark> Publishers { get; set; } = [];

    [Id(7)] public long Merges { get; set; }
    [Id(8)] public DateTimeOffset Updated { get; set; }

    public ClassMapState WithPublishers(Dictionary<string, PublisherMark> publishers) => new()
    {
        WaveformLength = WaveformLength,
        Count = Count,
        SaliencyMean = SaliencyMean,
        SaliencyM2 = SaliencyM2,
        BeatMean = BeatMean,
        BeatM2 = BeatM2,
        Publishers = publishers,
        Merges = Merges,
        Updated = Updated,
    };
}

/// <summary>
/// One class map of one run ("run/grouping/class"): applies each publisher epoch's partial map exactly once, persists
/// before it answers (so an acknowledged epoch survives a crash), and pushes the new map to observers. Its state is
/// the running statistics and one mark per publisher activation: the same size whatever the number of records.
/// </summary>
public sealed class ClassMapGrain(
    [PersistentState("classmap", EcgStorage.Name)] IPersistentState<ClassMapState> state,
    IGrainFactory grains,
    ILogger<ClassMapGrain> logger) : Grain, IClassMapGrain
{
    private static readonly TimeSpan NotifyEvery = TimeSpan.FromMilliseconds(500);
    private readonly ObserverManager<IClassMapObserver> _observers = new(TimeSpan.FromMinutes(2), logger);
    private ClassMapAccumulator? _accumulator;
    private bool _changed;
    private bool _registered; // with the run, in this activation

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

    public async Task Apply(string publisher, long epoch, PartialMap partial)
    {
        switch (PublisherMarks.Decide(state.State.Publishers, publisher, epoch))
        {
            case EpochDecision.Repeat:
                EcgMetrics.ClassMapMerge(MapKey, merged: false);
                return;
            case EpochDecision.Fenced:
                throw new PublicationFailedException($"class map {this.GetPrimaryKeyString()}: epoch {epoch} of publisher {publisher} was given up by a recovering record");
        }

        var merged = Merged(partial);
        if (!_registered)
        {
            await grains.GetGrain<IRunGrain>(Run).RegisterClassMap(MapKey);
            _registered = true;
        }
        await Persist(previous => new ClassMapState
        {
            WaveformLength = merged.WaveformLength,
            Count = merged.Count,
            SaliencyMean = merged.SaliencyMean,
            SaliencyM2 = merged.SaliencyM2,
            BeatMean = merged.BeatMean,
            BeatM2 = merged.BeatM2,
            Publishers = PublisherMarks.AfterApplying(previous.Publishers, publisher, epoch, DateTimeOffset.UtcNow),
            Merges = previous.Merges + 1,
            Updated = DateTimeOffset.UtcNow,
        });
        _accumulator = merged;
        _changed = true;
        EcgMetrics.ClassMapMerge(MapKey, merged: true);
    }

    public async Task<bool> Resolve(string publisher, long epoch)
    {
        var (applied, fenced) = PublisherMarks.Resolve(state.State.Publishers, publisher, epoch, DateTimeOffset.UtcNow);
        if (fenced is not null) await Persist(previous => previous.WithPublishers(fenced));
        return applied;
    }

    private ClassMapAccumulator Merged(PartialMap partial)
    {
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
        return merged;
    }

    private async Task Persist(Func<ClassMapState, ClassMapState> next)
    {
        var previous = state.State;
        state.State = next(previous);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Whether the write reached storage is unknown (Redis may have applied it and lost the reply, or be
            // down so that re-reading fails too). Keep nothing of it here, and let the next activation load what
            // storage really holds: a publisher's retry is then applied or recognised as a repeat.
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
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
