using EcgOrleans.Ml.Models;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Saliency;

/// <summary>
/// Simonyan et al. (2013): the gradient of the target logit with respect to the input. Raw attributions are the
/// signed gradient; <see cref="SaliencyMaps.NormalizePerBeat"/> turns them into the paper's map
/// |d logit / d input| / max.
/// </summary>
public sealed class VanillaGradient : ISaliencyMethod
{
    public const string MethodName = "vanilla";

    public string Name => MethodName;

    public SaliencyResult Attribute(BeatClassifier model, Tensor waveform, Tensor rhythm, SaliencyTargets targets)
    {
        var (logits, target, gw, gr) = InputGradients.Of(model, waveform, rhythm, raw => targets.Resolve(model, raw));
        return new SaliencyResult(logits, target, SaliencyMaps.Concatenate(gw, gr));
    }
}
