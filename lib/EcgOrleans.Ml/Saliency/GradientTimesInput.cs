using EcgOrleans.Ml.Models;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Saliency;

/// <summary>Gradient times input (Shrikumar et al. 2016): the first-order share of each input in the target logit.</summary>
public sealed class GradientTimesInput : ISaliencyMethod
{
    public const string MethodName = "gradxinput";

    public string Name => MethodName;

    public SaliencyResult Attribute(BeatClassifier model, Tensor waveform, Tensor rhythm, SaliencyTargets targets)
    {
        var (logits, target, gw, gr) = InputGradients.Of(model, waveform, rhythm, raw => targets.Resolve(model, raw));
        return new SaliencyResult(logits, target, SaliencyMaps.Concatenate(gw * waveform, gr * rhythm));
    }
}
