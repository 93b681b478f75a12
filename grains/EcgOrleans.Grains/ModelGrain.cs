using System.Diagnostics;
using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Pipeline;
using EcgOrleans.Grains.Telemetry;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using Orleans.Concurrency;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Grains;

/// <summary>
/// A trained model ("name@version") scoring beat batches: probabilities, predictions, and the batch's partial
/// class maps. A stateless worker with one activation per silo: LibTorch work runs one call at a time per process
/// (TorchGate), each on every core, so a second activation would only hold a second copy of the model. TorchSharp
/// work runs synchronously inside the turn (dispose scopes and grad modes are per thread).
/// </summary>
[StatelessWorker(1)]
public sealed class ModelGrain(IGrainFactory grains) : Grain, IModelGrain
{
    private readonly Dictionary<(string Method, SaliencyTarget Target), BeatScorer> _scorers = [];
    private BeatClassifier? _model;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var bytes = await grains.GetGrain<IModelRegistryGrain>(GrainKeys.Registry).GetCheckpoint(key);
        try
        {
            _model = Checkpoint.Load(bytes, key).Model;
        }
        catch (CheckpointException e)
        {
            throw new EcgRequestException(Codes.InvalidModel, $"model {key}: {e.Message}");
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _model?.Dispose();
        return Task.CompletedTask;
    }

    public Task<BatchScores> Score(BeatBatch batch, string method, string target)
    {
        var model = _model!;
        if (batch.WaveformLength != model.WaveformLength || batch.RhythmFeatures != model.RhythmFeatures)
            throw new EcgRequestException(Codes.InvalidBatch,
                $"{batch.RecordKey} batch {batch.Sequence}: beats of {batch.WaveformLength} samples and {batch.RhythmFeatures} rhythm features; model {this.GetPrimaryKeyString()} takes {model.WaveformLength} and {model.RhythmFeatures}");
        if (batch.References.Length != batch.Count)
            throw new EcgRequestException(Codes.InvalidBatch, $"{batch.RecordKey} batch {batch.Sequence}: {batch.References.Length} references for {batch.Count} beats");

        var references = batch.References.Select(r => r == BeatBatch.NoReference ? (AamiClass?)null : (AamiClass)r).ToArray();
        ScoredBatch scored;
        var started = Stopwatch.GetTimestamp();
        try
        {
            scored = Scorer(method, target).Score(batch.Waveforms, batch.Rhythm, references);
        }
        catch (ArgumentException e)
        {
            throw new EcgRequestException(Codes.InvalidBatch, $"{batch.RecordKey} batch {batch.Sequence}: {e.Message}");
        }
        var partials = ClassMapPartition.Split(scored, batch.Waveforms, batch.Rhythm, references)
            .OrderBy(p => p.Key.ToString(), StringComparer.Ordinal)
            .Select(p => ClassMapConversions.ToPartial(p.Key, p.Value))
            .ToList();
        EcgMetrics.BatchScored(this.GetPrimaryKeyString(), method.ToLowerInvariant(), batch.Count, Stopwatch.GetElapsedTime(started));
        return Task.FromResult(new BatchScores(scored.Probabilities, [.. scored.Predicted.Select(c => (byte)c)], partials));
    }

    private BeatScorer Scorer(string method, string target)
    {
        var kind = target.ToLowerInvariant() switch
        {
            "predicted" => SaliencyTarget.Predicted,
            "reference" => SaliencyTarget.Reference,
            _ => throw new EcgRequestException(Codes.InvalidArgument, $"unknown saliency target '{target}': use predicted or reference"),
        };
        var name = method.ToLowerInvariant();
        if (!_scorers.TryGetValue((name, kind), out var scorer))
        {
            ISaliencyMethod saliency;
            try
            {
                saliency = SaliencyMethods.Create(name);
            }
            catch (ArgumentException e)
            {
                throw new EcgRequestException(Codes.InvalidArgument, e.Message);
            }
            _scorers[(name, kind)] = scorer = new BeatScorer(_model!, saliency, kind);
        }
        return scorer;
    }
}
