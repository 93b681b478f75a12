using System.Diagnostics;
using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Pipeline;
using EcgOrleans.Grains.Telemetry;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Grains;

/// <summary>
/// One record streamed into one run ("run/dataset/record"). Delegates chunk checks, beat cutting and batching to
/// <see cref="RecordStream"/>; scores batches through its silo's <see cref="ScoringQueue"/> and gathers their partial
/// maps; at a commit point persists the stream's state together with that contribution and publishes it through its
/// silo's <see cref="ClassMapPublisher"/>. After a failure it rolls back to the last commit point, and a contribution
/// it had persisted is resolved against the class maps: dropped where applied, published again where not.
/// </summary>
public sealed class RecordGrain(
    [PersistentState("record", EcgStorage.Name)] IPersistentState<RecordState> state,
    IGrainFactory grains) : Grain, IRecordGrain
{
    private readonly EcgMetrics.RecordShare _metrics = new();
    private readonly Contribution _contribution = new();
    private RunConfig? _config;
    private RecordStream? _stream;
    private bool _resolved; // whether the persisted pending contributions have been resolved since the last (re)load

    // Whether storage still holds a contribution that has been applied. Harmless while class maps remember the
    // publisher (PublisherMarks.Retention); a record that stops streaming writes it away, so that a client coming
    // back after the retention cannot have it published twice.
    private bool _storedPendingApplied;

    // Whether the run grain has heard of the last commit point. It hears after the commit is persisted here, so a
    // silo lost between the two writes leaves it behind (a record done here, unfinished in the run's view); the
    // next call from the client, which always comes to resume, tells it again. False after every activation.
    private bool _runUpToDate;
    private long _lastReport;

    private string Key => this.GetPrimaryKeyString();

    private string Run => GrainKeys.ParseRecord(Key).Run;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _metrics.Activated();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _metrics.Deactivated();
        try
        {
            await ForgetAppliedPendingAsync();
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Storage keeps the applied contribution; the next activation resolves it as applied.
        }
    }

    public async Task<ChunkAck> Append(SignalChunk chunk)
    {
        ChunkOutcome outcome;
        try
        {
            _config ??= await grains.GetGrain<IRunGrain>(Run).GetConfig();
            await ResolvePendingAsync();
            await BringRunUpToDate();
            _stream ??= RecordStream.Resume(Key, BeatRepresentation.Parse(_config.Representation), _config.RhythmFeatures, state.State,
                referencesRequired: _config.SaliencyTarget() == SaliencyTarget.Reference);
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
            var queue = grains.GetGrain<IScoringQueue>(GrainKeys.ScoringQueue(_config.ModelVersion, _config.Method, _config.Target));
            for (var b = 0; b < outcome.Batches.Count; b++)
            {
                var started = Stopwatch.GetTimestamp();
                var scores = await queue.Score(outcome.Batches[b]);
                _contribution.Add(outcome.Batches[b], scores);
                latencies[b] = (float)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            if (outcome.CommitPoint) await CommitAsync();
        }
        catch
        {
            // Back to the last commit point on the next call: the stream, and what storage holds about contributions.
            _stream = null;
            _resolved = false;
            _storedPendingApplied = false;
            _runUpToDate = false; // the failure may have been the run's report itself
            _contribution.Clear();
            _metrics.Waiting(0);
            throw;
        }
        EcgMetrics.ChunkAccepted(chunk);
        _metrics.Waiting(_stream.Waiting);
        return new ChunkAck(_stream.NextSequence, state.State.CommittedSequence, _stream.Beats, _stream.Done, latencies);
    }

    public async Task<RecordProgress> GetProgress()
    {
        if (state.RecordExists) await ResolvePendingAsync();
        await BringRunUpToDate();
        return Progress();
    }

    /// <summary>Persists the commit point with the contribution gathered since the last one, then publishes it.</summary>
    private async Task CommitAsync()
    {
        var committed = _stream!.Checkpoint();
        if (_contribution.IsEmpty)
        {
            state.State = committed;
            await state.WriteStateAsync();
            _storedPendingApplied = false;
        }
        else
        {
            var parts = _contribution.Parts();
            await PublishAsync(committed, parts);
            _contribution.Counted(_config!.ModelVersion);
            if (committed.Done) await ForgetAppliedPendingAsync();
        }
        _contribution.Clear();
        await ReportProgress(force: committed.Done);
    }

    /// <summary>
    /// Reserves a place in the publisher's open epoch, persists <paramref name="committed"/> with the contribution and
    /// that ticket, and publishes. A failed write abandons the epoch, so that nothing of it is applied anywhere.
    /// </summary>
    private async Task PublishAsync(RecordState committed, PartialMap[] parts)
    {
        var publisher = grains.GetGrain<IClassMapPublisher>(Run);
        var ticket = await publisher.Reserve();
        committed.Pending = [new Publication(ticket, parts)];
        state.State = committed;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            await publisher.Abandon(ticket);
            throw;
        }
        await publisher.Publish(ticket, parts);
        // Applied: the next commit point's write drops it; until then a reactivation finds it applied and drops it.
        state.State.Pending = [];
        _storedPendingApplied = true;
    }

    private async Task ForgetAppliedPendingAsync()
    {
        if (!_storedPendingApplied) return;
        await state.WriteStateAsync();
        _storedPendingApplied = false;
    }

    /// <summary>
    /// Resolves the contributions the last commit point left pending (after a failure or a lost silo): each class map
    /// says whether it applied the part, and fences the epoch if not; the parts not applied are published anew.
    /// </summary>
    private async Task ResolvePendingAsync()
    {
        if (_resolved) return;
        if (_stream is null && state.RecordExists) await state.ReadStateAsync(); // what storage holds, not what a failed write left here
        var leftover = new Contribution();
        var hadPending = state.State.Pending.Count > 0;
        foreach (var publication in state.State.Pending)
        foreach (var part in publication.Parts)
        {
            var applied = await grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(Run, part.Key)).Resolve(publication.Ticket.Publisher, publication.Ticket.Epoch);
            if (!applied) leftover.Add(part);
        }
        if (!leftover.IsEmpty) await PublishAsync(state.State, leftover.Parts());
        state.State.Pending = [];
        _storedPendingApplied |= hadPending;
        _resolved = true;
        if (state.State.Done) await ForgetAppliedPendingAsync();
    }

    private async Task BringRunUpToDate()
    {
        if (_runUpToDate) return;
        await ReportProgress(force: true);
    }

    /// <summary>
    /// Tells the run grain where this record stands: at once when forced (first call, record done), otherwise at most
    /// every <see cref="ReportEvery"/>, so that thousands of live records do not each write the run on every chunk.
    /// </summary>
    private async Task ReportProgress(bool force)
    {
        if (!state.RecordExists) return;
        if (!force && Stopwatch.GetElapsedTime(_lastReport) < ReportEvery) return;
        await grains.GetGrain<IRunGrain>(Run).ReportProgress(Progress());
        _lastReport = Stopwatch.GetTimestamp();
        _runUpToDate = true;
    }

    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(2);

    private RecordProgress Progress()
    {
        var (_, dataset, record) = GrainKeys.ParseRecord(Key);
        var committed = state.State;
        return new RecordProgress(dataset, record, _stream?.NextSequence ?? committed.NextSequence, committed.CommittedSequence,
            committed.Samples, committed.Beats, committed.NextBatch, committed.Done);
    }
}
