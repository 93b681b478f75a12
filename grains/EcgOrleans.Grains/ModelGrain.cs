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
/// A trained model ("name@version") scoring beat batches: probabilities, predictions, and each batch's partial
/// class maps. A stateless worker with one activation per silo: LibTorch work runs one call at a time per process
/// (TorchGate), each on every core, so a second activation would only hold a second copy of the model. The batches
/// of one call, from many records (<see cref="ScoringQueue"/>), are scored together and answered apart. TorchSharp
/// work runs synchronously inside the turn (dispose scopes and grad modes are per thread).
/// </summary>
[StatelessWorker(1)]
public sealed class ModelGrain(IGrainFactory grains) : Grain, IModelGrain
{
    private readonly Dictionary<(SaliencyMethodKind Method, SaliencyTarget Target), BeatScorer> _scorers = [];
    private BeatClassifier? _model;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (!key.Contains('@')) throw new EcgRequestException(Codes.InvalidArgument, $"'{key}' names no version (name@version)");
        // The registry first: it refuses a version it does not list, and once active it has moved the bytes of
        // versions stored before checkpoints had their own grains.
        var info = await grains.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry).Resolve(key);
        var bytes = await grains.GetGrain<IModelCheckpointGrain>(info.Key).Get();
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

    public Task<IReadOnlyList<BatchScores>> ScoreAll(IReadOnlyList<BeatBatch> batches, string method, string target)
    {
        var model = _model!;
        if (batches.Count == 0) return Task.FromResult<IReadOnlyList<BatchScores>>([]);
        foreach (var batch in batches) Check(model, batch);
        var (saliency, explained) = (ParseArgument(SaliencyMethods.Parse, method), ParseArgument(SaliencyTarget.Parse, target));

        var together = BatchUnion.Of(batches, model.WaveformLength, model.RhythmFeatures);
        ScoredBatch scored;
        var started = Stopwatch.GetTimestamp();
        try
        {
            scored = Scorer(saliency, explained).Score(together.Waveforms, together.Rhythm, together.References);
        }
        catch (ArgumentException e)
        {
            throw new EcgRequestException(Codes.InvalidBatch, $"batches of {string.Join(", ", batches.Select(b => b.RecordKey).Distinct())}: {e.Message}");
        }
        EcgMetrics.BatchScored(this.GetPrimaryKeyString(), SaliencyMethods.Name(saliency), together.References.Length, Stopwatch.GetElapsedTime(started));

        var answers = new BatchScores[batches.Count];
        for (var i = 0; i < batches.Count; i++)
        {
            var (batch, start) = (batches[i], together.Starts[i]);
            var own = scored.Slice(start, batch.Count);
            var partials = ClassMapPartition.Split(own, batch.Waveforms, batch.Rhythm, together.References[start..(start + batch.Count)])
                .OrderBy(p => p.Key.ToString(), StringComparer.Ordinal)
                .Select(p => ClassMapConversions.ToPartial(p.Key, p.Value))
                .ToList();
            answers[i] = new BatchScores(own.Probabilities, [.. own.Predicted.Select(c => (byte)c)], partials);
        }
        return Task.FromResult<IReadOnlyList<BatchScores>>(answers);
    }

    private void Check(BeatClassifier model, BeatBatch batch)
    {
        if (batch.WaveformLength != model.WaveformLength || batch.RhythmFeatures != model.RhythmFeatures)
            throw new EcgRequestException(Codes.InvalidBatch,
                $"{batch.RecordKey} batch {batch.Sequence}: beats of {batch.WaveformLength} samples and {batch.RhythmFeatures} rhythm features; model {this.GetPrimaryKeyString()} takes {model.WaveformLength} and {model.RhythmFeatures}");
        if (batch.References.Length != batch.Count)
            throw new EcgRequestException(Codes.InvalidBatch, $"{batch.RecordKey} batch {batch.Sequence}: {batch.References.Length} references for {batch.Count} beats");
        if (batch.Waveforms.Length != batch.Count * batch.WaveformLength || batch.Rhythm.Length != batch.Count * batch.RhythmFeatures)
            throw new EcgRequestException(Codes.InvalidBatch, $"{batch.RecordKey} batch {batch.Sequence}: arrays do not hold {batch.Count} beats");
    }

    private BeatScorer Scorer(SaliencyMethodKind method, SaliencyTarget target)
    {
        if (!_scorers.TryGetValue((method, target), out var scorer))
            _scorers[(method, target)] = scorer = new BeatScorer(_model!, SaliencyMethods.Create(method), target);
        return scorer;
    }
}

/// <summary>Several batches as one: their beats end to end, and where each batch starts.</summary>
internal sealed record BatchUnion(float[] Waveforms, float[] Rhythm, AamiClass?[] References, int[] Starts)
{
    public static BatchUnion Of(IReadOnlyList<BeatBatch> batches, int waveformLength, int rhythmFeatures)
    {
        var total = batches.Sum(b => b.Count);
        var waveforms = new float[total * waveformLength];
        var rhythm = new float[total * rhythmFeatures];
        var references = new AamiClass?[total];
        var starts = new int[batches.Count];
        var at = 0;
        for (var i = 0; i < batches.Count; i++)
        {
            var batch = batches[i];
            starts[i] = at;
            batch.Waveforms.CopyTo(waveforms, at * waveformLength);
            batch.Rhythm.CopyTo(rhythm, at * rhythmFeatures);
            for (var b = 0; b < batch.Count; b++)
                references[at + b] = batch.References[b] == BeatBatch.NoReference ? null : (AamiClass)batch.References[b];
            at += batch.Count;
        }
        return new BatchUnion(waveforms, rhythm, references, starts);
    }
}
