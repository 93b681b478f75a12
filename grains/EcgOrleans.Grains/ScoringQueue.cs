using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace EcgOrleans.Grains;

/// <summary>
/// A silo's queue of batches for one analysis ("model@version/method/target"), in the manner of Orleans' GPSTracker
/// sample: a local stateless worker, reentrant, that gathers its callers' batches and sends them to the model together
/// once <see cref="EcgOptions.ScoringBatchBeats"/> beats wait, or once the oldest has waited
/// <see cref="EcgOptions.ScoringWait"/>. A live monitor's chunk holds about one beat; scored alone, each would pay a
/// model pass's fixed cost. Which batches travel together changes no beat's class-map membership (a record's
/// contribution is published once, from what it persisted: docs/exactly-once.md).
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed class ScoringQueue(IGrainFactory grains, IOptions<EcgOptions> options) : Grain, IScoringQueue
{
    private readonly List<(BeatBatch Batch, TaskCompletionSource<BatchScores> Answer)> _waiting = [];
    private int _waitingBeats;
    private long _generation; // counts sends, so that a deadline set for beats already sent does nothing

    public Task<BatchScores> Score(BeatBatch batch)
    {
        var answer = new TaskCompletionSource<BatchScores>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((batch, answer));
        _waitingBeats += batch.Count;
        if (_waitingBeats >= options.Value.ScoringBatchBeats) _ = SendAsync();
        else if (_waiting.Count == 1) _ = SendAfterDeadlineAsync(_generation);
        return answer.Task;
    }

    private async Task SendAfterDeadlineAsync(long generation)
    {
        await Task.Delay(options.Value.ScoringWait);
        if (_generation == generation) await SendAsync();
    }

    private async Task SendAsync()
    {
        if (_waiting.Count == 0) return;
        var sending = _waiting.ToList();
        _waiting.Clear();
        _waitingBeats = 0;
        _generation++;
        var (model, method, target) = GrainKeys.ParseScoringQueue(this.GetPrimaryKeyString());
        var scorer = grains.GetGrain<IModelGrain>(model);
        try
        {
            var scores = await scorer.ScoreAll([.. sending.Select(s => s.Batch)], method, target);
            for (var i = 0; i < sending.Count; i++) sending[i].Answer.TrySetResult(scores[i]);
        }
        catch (EcgRequestException e) when (e.Code == EcgRequestException.Codes.InvalidBatch && sending.Count > 1)
        {
            // One caller's batch is bad: score each alone, so that only its caller hears of it.
            foreach (var (batch, answer) in sending)
            {
                try
                {
                    answer.TrySetResult((await scorer.ScoreAll([batch], method, target))[0]);
                }
                catch (Exception alone)
                {
                    answer.TrySetException(alone);
                }
            }
        }
        catch (Exception e)
        {
            foreach (var (_, answer) in sending) answer.TrySetException(e);
        }
    }
}
