using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Evaluation;

/// <summary>Runs a model over a beat set (inference only) and scores it against the reference classes.</summary>
public static class Evaluator
{
    public const int DefaultBatchSize = 512;

    /// <summary>The predicted class of every beat, in set order: argmax of the logits plus the model's decision bias.</summary>
    public static AamiClass[] Predict(BeatClassifier model, BeatSet beats, int batchSize = DefaultBatchSize, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(beats);
        var predictions = new AamiClass[beats.Count];
        Run(model, beats, batchSize, progress, (start, logits) =>
        {
            var predicted = model.Decide(logits).data<long>().ToArray();
            for (var i = 0; i < predicted.Length; i++) predictions[start + i] = (AamiClass)predicted[i];
        });
        return predictions;
    }

    /// <summary>
    /// The raw logits of every beat (decision bias not added), beat-major: B x 5. What a decision bias is calibrated on
    /// (<see cref="DecisionBiasCalibration"/>).
    /// </summary>
    public static float[] Logits(BeatClassifier model, BeatSet beats, int batchSize = DefaultBatchSize, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(beats);
        var logits = new float[beats.Count * BeatClassifier.ClassCount];
        Run(model, beats, batchSize, progress, (start, batch) =>
            batch.to(ScalarType.Float32).data<float>().ToArray().CopyTo(logits, start * BeatClassifier.ClassCount));
        return logits;
    }

    /// <summary>Forward passes over the set in eval mode, handing each batch's first index and logits to <paramref name="consume"/>.</summary>
    private static void Run(BeatClassifier model, BeatSet beats, int batchSize, IProgress<int>? progress, Action<int, Tensor> consume)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (beats.Length != model.WaveformLength || beats.RhythmCount != model.RhythmFeatures)
            throw new ArgumentException(
                $"beats of {beats.Length} samples with {beats.RhythmCount} rhythm features do not fit a model of {model.WaveformLength} samples with {model.RhythmFeatures}");
        var wasTraining = model.training;
        model.eval();
        try
        {
            var indices = Enumerable.Range(0, beats.Count).ToArray();
            using var noGrad = no_grad();
            for (var start = 0; start < beats.Count; start += batchSize)
            {
                var span = indices.AsSpan(start, Math.Min(batchSize, beats.Count - start));
                using var scope = NewDisposeScope();
                var (waveform, rhythm, _) = beats.Batch(span);
                consume(start, model.forward(waveform, rhythm));
                progress?.Report(start + span.Length);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    public static ConfusionMatrix Confusion(IReadOnlyList<AamiClass> reference, IReadOnlyList<AamiClass> predicted)
    {
        if (reference.Count != predicted.Count)
            throw new ArgumentException($"{reference.Count} reference labels but {predicted.Count} predictions");
        var matrix = new ConfusionMatrix();
        for (var i = 0; i < reference.Count; i++) matrix.Add(reference[i], predicted[i]);
        return matrix;
    }

    /// <summary>The confusion matrix of each record's beats, keyed by record name.</summary>
    public static IReadOnlyDictionary<string, ConfusionMatrix> ConfusionByRecord(BeatSet beats, IReadOnlyList<AamiClass> predicted)
    {
        if (beats.Count != predicted.Count) throw new ArgumentException($"{beats.Count} beats but {predicted.Count} predictions");
        var result = new SortedDictionary<string, ConfusionMatrix>(StringComparer.Ordinal);
        for (var i = 0; i < beats.Count; i++)
        {
            if (!result.TryGetValue(beats.Records[i], out var matrix)) result[beats.Records[i]] = matrix = new ConfusionMatrix();
            matrix.Add(beats.Labels[i], predicted[i]);
        }
        return result;
    }

    /// <summary>Sum of matrices (e.g. of a few records).</summary>
    public static ConfusionMatrix Sum(IEnumerable<ConfusionMatrix> matrices)
    {
        var total = new ConfusionMatrix();
        foreach (var m in matrices)
        foreach (var r in Aami.Classes)
        foreach (var p in Aami.Classes)
            total.Add(r, p, m[r, p]);
        return total;
    }

    public static EvaluationResult Evaluate(BeatClassifier model, BeatSet beats, int batchSize = DefaultBatchSize, IProgress<int>? progress = null) =>
        Metrics.From(Confusion(beats.Labels, Predict(model, beats, batchSize, progress)));
}
