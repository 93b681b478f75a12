using System.Diagnostics;
using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Pipeline;
using EcgOrleans.Grains.Telemetry;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Grains;

/// <summary>
/// One record streamed into one run ("run/dataset/record"). Delegates chunk checks, beat cutting and batching
/// to <see cref="RecordStream"/>; scores each batch on the run's model and merges its partial maps into the
/// class maps; persists at commit points, after every batch cut so far was merged. After a failure it rolls
/// back to the last commit point: the client re-sends from there, the same batches come out with the same
/// numbers, and the class maps drop the ones they already merged.
/// </summary>
public sealed class RecordGrain(
    [PersistentState("record", EcgStorage.Name)] IPersistentState<RecordState> state,
    IGrainFactory grains) : Grain, IRecordGrain
{
    private readonly SortedSet<string> _touchedMaps = new(StringComparer.Ordinal);
    private readonly EcgMetrics.RecordShare _metrics = new();
    private RunConfig? _config;
    private RecordStream? _stream;

    // Whether the run grain has heard of the last commit point. It hears after the commit is persisted here, so a
    // silo lost between the two writes leaves it behind (a record done here, unfinished in the run's view); the
    // next call from the client, which always comes to resume, tells it again. False after every activation.
    private bool _runUpToDate;

    private string Key => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _metrics.Activated();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _metrics.Deactivated();
        return Task.CompletedTask;
    }

    public async Task<ChunkAck> Append(SignalChunk chunk)
    {
        var (run, _, _) = GrainKeys.ParseRecord(Key);
        ChunkOutcome outcome;
        try
        {
            _config ??= await grains.GetGrain<IRunGrain>(run).GetConfig();
            await BringRunUpToDate(run);
            _stream ??= RecordStream.Resume(Key, BeatRepresentation.Parse(_config.Representation), _config.RhythmFeatures, state.State,
                referencesRequired: _config.Target == "reference");
            outcome = _stream.Accept(chunk);
        }
        catch (EcgRequestException e)
        {
            EcgMetrics.ChunkRefused(e.Code);
            throw;
        }
        var latencies = new float[outcome.Batches.Count];
        try
        {
            var model = grains.GetGrain<IModelGrain>(_config.ModelVersion);
            for (var b = 0; b < outcome.Batches.Count; b++)
            {
                var batch = outcome.Batches[b];
                var started = Stopwatch.GetTimestamp();
                var scores = await model.Score(batch, _config.Method, _config.Target);
                var merged = await Task.WhenAll(scores.Partials.Select(partial =>
                    grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, partial.Key)).Merge(Key, batch.Sequence, partial)));
                EcgMetrics.BatchMerged(_config.ModelVersion, batch, scores, anyNew: merged.Any(m => m));
                _touchedMaps.UnionWith(scores.Partials.Select(p => p.Key));
                latencies[b] = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            if (outcome.CommitPoint)
            {
                state.State = _stream.Checkpoint();
                await state.WriteStateAsync();
                _runUpToDate = false;
                await BringRunUpToDate(run);
            }
        }
        catch
        {
            _stream = null; // back to the last commit point on the next call
            _metrics.Waiting(0);
            throw;
        }
        EcgMetrics.ChunkAccepted(chunk);
        _metrics.Waiting(_stream.Waiting);
        return new ChunkAck(_stream.NextSequence, state.State.CommittedSequence, _stream.Beats, _stream.Done, latencies);
    }

    public async Task<RecordProgress> GetProgress()
    {
        await BringRunUpToDate(GrainKeys.ParseRecord(Key).Run);
        return Progress();
    }

    private async Task BringRunUpToDate(string run)
    {
        if (_runUpToDate) return;
        if (state.RecordExists) await grains.GetGrain<IRunGrain>(run).ReportProgress(Progress(), [.. _touchedMaps]);
        _runUpToDate = true;
    }

    private RecordProgress Progress()
    {
        var (_, dataset, record) = GrainKeys.ParseRecord(Key);
        var committed = state.State;
        return new RecordProgress(dataset, record, _stream?.NextSequence ?? committed.NextSequence, committed.CommittedSequence,
            committed.Samples, committed.Beats, committed.NextBatch, committed.Done);
    }
}
