using EcgOrleans.Ml.Models;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Saliency;

/// <summary>Which class a saliency map explains.</summary>
public enum SaliencyTarget
{
    /// <summary>The class the model predicts for the beat: argmax of its logits plus its decision bias.</summary>
    Predicted,

    /// <summary>The beat's reference (annotated) class.</summary>
    Reference,
}

/// <summary>The one spelling of each <see cref="SaliencyTarget"/>: "predicted" or "reference".</summary>
public static class SaliencyTargetNames
{
    extension(SaliencyTarget target)
    {
        /// <summary>Its name on the wire, in stored runs and in options.</summary>
        public string Name => target switch
        {
            SaliencyTarget.Predicted => "predicted",
            SaliencyTarget.Reference => "reference",
            _ => throw new ArgumentOutOfRangeException(nameof(target), target, "not a saliency target"),
        };

        /// <summary>Reads "predicted" or "reference" (case-insensitive).</summary>
        /// <exception cref="ArgumentException">Anything else, naming the value and the valid ones.</exception>
        public static SaliencyTarget Parse(string text) =>
            NamedValues.Parse(text, "saliency target", [SaliencyTarget.Predicted, SaliencyTarget.Reference], t => t.Name);
    }
}

/// <summary>
/// A saliency (attribution) method. It explains the target logit of every beat of a batch with respect to
/// the model's whole input: the waveform (L values) followed by the rhythm features (R values).
/// </summary>
public interface ISaliencyMethod
{
    /// <summary>The name <see cref="SaliencyMethods.Create"/> knows the method by.</summary>
    string Name { get; }

    /// <summary>
    /// Raw, signed, un-normalised attributions [B, L + R] of the target logits, computed for the whole batch
    /// at once (never one backward pass per beat). The model should be in eval mode; its weights may be frozen
    /// or not (the map is the same). Returned tensors belong to the caller's dispose scope.
    /// </summary>
    /// <param name="waveform">[B, 1, L].</param>
    /// <param name="rhythm">[B, R], R may be 0.</param>
    SaliencyResult Attribute(BeatClassifier model, Tensor waveform, Tensor rhythm, SaliencyTargets targets);
}

/// <summary>What a saliency method computed for one batch.</summary>
/// <param name="Logits">Logits [B, 5] of the unmodified beats.</param>
/// <param name="Targets">Target class index of every beat [B] (int64).</param>
/// <param name="Attributions">Raw attributions [B, L + R]: waveform first, then rhythm.</param>
public sealed record SaliencyResult(Tensor Logits, Tensor Targets, Tensor Attributions);

/// <summary>How the target class of each beat is chosen.</summary>
/// <param name="Kind">Predicted or reference class.</param>
/// <param name="Reference">Reference class indices [B] (int64); required when <paramref name="Kind"/> is Reference.</param>
public sealed record SaliencyTargets(SaliencyTarget Kind, Tensor? Reference = null)
{
    public static SaliencyTargets Predicted { get; } = new(SaliencyTarget.Predicted);

    /// <summary>Target class indices [B] (int64) given the logits [B, 5] of the unmodified beats.</summary>
    /// <param name="model">Decides the predicted class (<see cref="BeatClassifier.Decide"/>), so that a map explains
    /// the class the model reports, calibrated decision bias included.</param>
    public Tensor Resolve(BeatClassifier model, Tensor logits) => Kind switch
    {
        SaliencyTarget.Predicted => model.Decide(logits),
        SaliencyTarget.Reference when Reference is null => throw new InvalidOperationException("reference targets need the reference class of every beat"),
        SaliencyTarget.Reference when Reference.dim() != 1 || Reference.shape[0] != logits.shape[0] =>
            throw new ArgumentException($"{Reference.numel()} reference classes for {logits.shape[0]} beats", nameof(Reference)),
        SaliencyTarget.Reference => Reference,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown saliency target"),
    };
}
