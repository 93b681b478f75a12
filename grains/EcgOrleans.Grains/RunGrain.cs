using EcgOrleans.Abstractions;
using EcgOrleans.Ml.Saliency;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Grains;

[GenerateSerializer, Alias("ecg.RunState")]
public sealed class RunState
{
    [Id(0)] public RunConfig? Config { get; set; }
    [Id(1)] public RunRequest? Request { get; set; }
    [Id(2)] public Dictionary<string, RecordProgress> Records { get; set; } = [];
    [Id(3)] public SortedSet<string> ClassMaps { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A named analysis ("run"): fixed model version, saliency method and target; its records' progress; its class maps.</summary>
public sealed class RunGrain(
    [PersistentState("run", EcgStorage.Name)] IPersistentState<RunState> state,
    IGrainFactory grains) : Grain, IRunGrain
{
    private static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(1);
    private bool _dirty;

    private string Name => this.GetPrimaryKeyString();

    private IRunCatalogGrain Catalog => grains.GetGrain<IRunCatalogGrain>(GrainKeys.RunCatalog);

    public async Task<RunConfig> Configure(RunRequest request)
    {
        GrainKeys.CheckPart(Name, "run");
        // The edge every run passes: past it, a run's method and target are their one spelling (RunAnalysis reads them).
        var method = ParseArgument(SaliencyMethods.Parse, request.Method);
        var target = ParseArgument(SaliencyTarget.Parse, request.Target);
        var normalised = request with { Method = SaliencyMethods.Name(method), Target = target.Name };

        if (state.State.Config is { } existing)
        {
            if (state.State.Request == normalised || SameAnalysis(existing, normalised))
            {
                await Catalog.Add(Name); // idempotent: completes a listing that failed after the run was stored
                return existing;
            }
            throw new EcgRequestException(Codes.RunConflict,
                $"run '{Name}' exists with model {existing.ModelVersion}, method {existing.Method}, target {existing.Target}; " +
                $"it cannot change to model {request.Model}, method {request.Method}, target {request.Target} (pick another run name)");
        }

        var model = await grains.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry).Resolve(request.Model);
        state.State.Config = new RunConfig(Name, model.Key, normalised.Method, normalised.Target, model.Representation,
            model.WaveformLength, model.RhythmFeatures, DateTimeOffset.UtcNow);
        state.State.Request = normalised;
        await state.WriteStateAsync();
        await Catalog.Add(Name);
        return state.State.Config;
    }

    public Task<RunConfig> GetConfig() => Task.FromResult(Config());

    public Task<RunInfo> GetInfo()
    {
        var config = Config();
        var records = state.State.Records.Values.OrderBy(r => r.Dataset).ThenBy(r => r.Record, StringComparer.Ordinal).ToList();
        return Task.FromResult(new RunInfo(config, records, [.. state.State.ClassMaps], records.Sum(r => r.BeatsScored)));
    }

    /// <summary>
    /// Takes a record's report at once and writes the run at most every <see cref="WriteEvery"/> (and when the run
    /// deactivates): the list of records is a report that records repeat, not a ledger, and thousands of live records
    /// reporting would otherwise each write the whole list. A record's last report is the exception (below).
    /// </summary>
    public async Task ReportProgress(RecordProgress progress)
    {
        Config();
        state.State.Records[$"{progress.Dataset}/{progress.Record}"] = progress;
        _dirty = true;
        // A done record reports once and is not called again: its report is a ledger entry, written before the
        // record's last call returns, or a silo lost within the write interval would leave the record unfinished.
        if (progress.Done) await WriteIfDirty(CancellationToken.None);
    }

    /// <summary>
    /// Unlike progress, the list of class maps is a ledger: a map missing from it would hide its beats from every
    /// reader. A map registers once per activation, so writing at once costs a write per map, not per beat.
    /// </summary>
    public async Task RegisterClassMap(string mapKey)
    {
        if (!state.State.ClassMaps.Add(mapKey)) return;
        try
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
        catch
        {
            state.State.ClassMaps.Remove(mapKey); // unknown whether stored: the map registers again on its retry
            throw;
        }
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(WriteIfDirty, new GrainTimerCreationOptions(WriteEvery, WriteEvery));
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => WriteIfDirty(cancellationToken);

    private async Task WriteIfDirty(CancellationToken cancellation)
    {
        if (!_dirty) return;
        _dirty = false;
        try
        {
            await state.WriteStateAsync(cancellation);
        }
        catch
        {
            _dirty = true; // the reports stay in memory for the next tick, and the records repeat theirs
            throw;
        }
    }

    private RunConfig Config() => state.State.Config
        ?? throw new EcgRequestException(Codes.UnknownRun, $"unknown run '{Name}': create it first (ecg ingest --run {Name} --model ...)");

    /// <summary>The same request again, naming the model by the exact version the run resolved.</summary>
    private static bool SameAnalysis(RunConfig existing, RunRequest request) =>
        request.Model == existing.ModelVersion && request.Method == existing.Method && request.Target == existing.Target;
}
