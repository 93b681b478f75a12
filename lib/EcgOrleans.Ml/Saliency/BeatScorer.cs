using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Signal.Beats;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Saliency;

/// <summary>Class probabilities and predictions for a batch of beats.</summary>
/// <param name="Count">Beats in the batch (B).</param>
/// <param name="Probabilities">B x 5 softmax probabilities of the logits plus the model's decision bias, beat-major.</param>
/// <param name="Predicted">Most probable class of every beat (argmax of the logits plus the decision bias).</param>
public sealed record BatchPrediction(int Count, float[] Probabilities, AamiClass[] Predicted);

/// <summary>A batch of beats with probabilities, predictions and one normalised saliency map per beat.</summary>
/// <param name="Count">Beats in the batch (B).</param>
/// <param name="WaveformLength">L: waveform values per beat.</param>
/// <param name="RhythmLength">R: rhythm features per beat.</param>
/// <param name="Probabilities">B x 5 softmax probabilities of the logits plus the model's decision bias, beat-major.</param>
/// <param name="Predicted">Most probable class of every beat (argmax of the logits plus the decision bias).</param>
/// <param name="Targets">The class every map explains (predicted or reference).</param>
/// <param name="Saliency">B x (L + R) maps, beat-major: the L waveform values then the R rhythm values of each
/// beat, normalised per beat by <see cref="SaliencyMaps.NormalizePerBeat"/> (in [0, 1], maximum 1).</param>
public sealed record ScoredBatch(int Count, int WaveformLength, int RhythmLength, float[] Probabilities, AamiClass[] Predicted, AamiClass[] Targets, float[] Saliency)
{
    public int MapLength => WaveformLength + RhythmLength;

    public ReadOnlySpan<float> MapOf(int beat) => Saliency.AsSpan(beat * MapLength, MapLength);

    public ReadOnlySpan<float> ProbabilitiesOf(int beat) => Probabilities.AsSpan(beat * Aami.ClassCount, Aami.ClassCount);

    /// <summary>Beats <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> as a batch of their own.</summary>
    public ScoredBatch Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        return new ScoredBatch(count, WaveformLength, RhythmLength,
            Probabilities[(start * Aami.ClassCount)..((start + count) * Aami.ClassCount)],
            Predicted[start..(start + count)], Targets[start..(start + count)],
            Saliency[(start * MapLength)..((start + count) * MapLength)]);
    }
}

/// <summary>
/// What the Orleans ModelGrain calls: scores plain float arrays with one model and one saliency method.
/// </summary>
/// <remarks>
/// <para>Threads: any thread may call a scorer, but LibTorch work runs one call at a time per process
/// (<see cref="TorchGate"/>), each call using every core LibTorch is given (<see cref="TorchThreads"/>). LibTorch
/// 2.10's oneDNN may crash when it creates a primitive (a kernel for a new shape) while another thread runs
/// convolutions, and a scoring call creates primitives whenever it meets a batch size it has not met before. A
/// scorer keeps no state besides its model; the model's weights must not be shared with scorers that train it.</para>
/// <para>Saliency runs in passes of about <see cref="RowsPerPass"/> beats: a backward pass keeps every layer's
/// activations alive, so the native memory a pass holds grows with its rows, while smaller passes need not be
/// slower (their activations stay in cache; bench/README.md has the measurements). A batch is cut into
/// round(B / RowsPerPass) passes of equal size (±1 beat), never into full passes and a short tail: every pass has
/// a fixed cost on top of its rows, which a tail of a few beats would pay for almost nothing. Results do not
/// depend on the pass size.</para>
/// <para>The constructor puts the model in eval mode and freezes its weights (requires_grad = false): saliency
/// needs gradients with respect to the input only; the maps are the same and the backward pass is cheaper.</para>
/// </remarks>
public sealed class BeatScorer
{
    /// <summary>Beats per forward + backward pass unless the caller chooses otherwise.</summary>
    public const int DefaultRowsPerPass = 64;

    public BeatScorer(BeatClassifier model, ISaliencyMethod method, SaliencyTarget target = SaliencyTarget.Predicted, int rowsPerPass = DefaultRowsPerPass)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(method);
        if (!Enum.IsDefined(target)) throw new ArgumentOutOfRangeException(nameof(target), target, "unknown saliency target");
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerPass, 1);
        Model = model;
        Method = method;
        Target = target;
        RowsPerPass = rowsPerPass;
        model.eval();
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
    }

    public BeatClassifier Model { get; }

    public ISaliencyMethod Method { get; }

    public SaliencyTarget Target { get; }

    /// <summary>Beats per forward + backward pass, on average: a batch is scored in <see cref="PassCount"/> equal passes.</summary>
    public int RowsPerPass { get; }

    public int WaveformLength => Model.WaveformLength;

    public int RhythmLength => Model.RhythmFeatures;

    /// <summary>Probabilities and predicted classes only (no saliency): one forward pass in inference mode.</summary>
    /// <param name="waveforms">B x L values, beat-major.</param>
    /// <param name="rhythm">B x R values, beat-major.</param>
    public BatchPrediction Classify(float[] waveforms, float[] rhythm)
    {
        var count = BeatBatchValidation.Validate(waveforms, rhythm, WaveformLength, RhythmLength);
        using var gate = TorchGate.Enter();
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var (w, r) = Tensors(waveforms, rhythm, count);
        var decision = Model.DecisionLogits(Model.forward(w, r));
        return new BatchPrediction(count, Probabilities(decision), Classes(decision.argmax(1)));
    }

    /// <summary>Probabilities, predicted classes and normalised saliency maps of a batch.</summary>
    /// <param name="waveforms">B x L values, beat-major.</param>
    /// <param name="rhythm">B x R values, beat-major.</param>
    /// <param name="references">Reference class of every beat (null where unknown); required for every beat when
    /// the target is <see cref="SaliencyTarget.Reference"/>, otherwise optional and unused.</param>
    /// <exception cref="ArgumentException">Empty batch, wrong lengths, NaN or infinite values, missing references.</exception>
    public ScoredBatch Score(float[] waveforms, float[] rhythm, IReadOnlyList<AamiClass?>? references = null)
    {
        var count = BeatBatchValidation.Validate(waveforms, rhythm, WaveformLength, RhythmLength);
        var referenceIndices = Target == SaliencyTarget.Reference ? BeatBatchValidation.ReferenceIndices(references, count) : null;
        var passes = PassCount(count);
        using var gate = TorchGate.Enter();
        if (passes == 1) return ScorePass(waveforms, rhythm, referenceIndices, count);

        var result = new ScoredBatch(count, WaveformLength, RhythmLength, new float[count * Aami.ClassCount],
            new AamiClass[count], new AamiClass[count], new float[count * (WaveformLength + RhythmLength)]);
        foreach (var (start, rows) in EqualParts.Of(count, passes))
        {
            var scored = ScorePass(
                waveforms[(start * WaveformLength)..((start + rows) * WaveformLength)],
                rhythm[(start * RhythmLength)..((start + rows) * RhythmLength)],
                referenceIndices?[start..(start + rows)], rows);
            scored.Probabilities.CopyTo(result.Probabilities, start * Aami.ClassCount);
            scored.Predicted.CopyTo(result.Predicted, start);
            scored.Targets.CopyTo(result.Targets, start);
            scored.Saliency.CopyTo(result.Saliency, start * result.MapLength);
        }
        return result;
    }

    /// <summary>Passes for a batch of <paramref name="count"/> beats: the nearest whole number of <see cref="RowsPerPass"/>, at least one.</summary>
    public int PassCount(int count) => Math.Max(1, (count + RowsPerPass / 2) / RowsPerPass);

    private ScoredBatch ScorePass(float[] waveforms, float[] rhythm, long[]? referenceIndices, int count)
    {
        using var scope = NewDisposeScope();
        var (w, r) = Tensors(waveforms, rhythm, count);
        var targets = referenceIndices is null ? SaliencyTargets.Predicted : new SaliencyTargets(SaliencyTarget.Reference, tensor(referenceIndices));
        var result = Method.Attribute(Model, w, r, targets);
        var maps = SaliencyMaps.NormalizePerBeat(result.Attributions).to(float32);
        // The method explained the raw target logit; what the beat is reported as includes the decision bias.
        var decision = Model.DecisionLogits(result.Logits.detach());
        return new ScoredBatch(count, WaveformLength, RhythmLength,
            Probabilities(decision), Classes(decision.argmax(1)), Classes(result.Targets), maps.data<float>().ToArray());
    }

    private (Tensor Waveform, Tensor Rhythm) Tensors(float[] waveforms, float[] rhythm, int count) =>
        (tensor(waveforms, [count, 1, WaveformLength]), tensor(rhythm, [count, RhythmLength]));

    private static float[] Probabilities(Tensor logits) => nn.functional.softmax(logits.detach(), 1).to(float32).data<float>().ToArray();

    private static AamiClass[] Classes(Tensor indices) => [.. indices.data<long>().ToArray().Select(i => (AamiClass)i)];
}
