using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Saliency;

/// <summary>
/// Grad-CAM (Selvaraju et al. 2017) in 1-D. Waveform part: channel weights are the mean over time of the
/// gradient of the target logit with respect to the last convolutional feature maps A [B, C, T]; the map is
/// ReLU(sum_c w_c A_c), upsampled linearly to L and scaled by T/L so that its sum stays the sum over the T
/// feature positions (comparable with the rhythm part).
/// Rhythm part: a rhythm feature enters the head as a feature map of its own with a single time step, for which
/// Grad-CAM reduces to ReLU(d logit / d r_i * r_i): the positive first-order share of that feature.
/// </summary>
public sealed class GradCam1d : ISaliencyMethod
{
    public const string MethodName = "gradcam";

    public string Name => MethodName;

    public SaliencyResult Attribute(BeatClassifier model, Tensor waveform, Tensor rhythm, SaliencyTargets targets)
    {
        Tensor logits, target, featureMaps, featureGradient, rhythmGradient;
        using (enable_grad())
        {
            // The input must require grad so that the feature maps are in the graph even with frozen weights.
            var w = waveform.detach().requires_grad_();
            var r = rhythm.detach().requires_grad_(rhythm.shape[1] > 0);
            (logits, featureMaps) = model.ForwardWithFeatures(w, r);
            target = targets.Resolve(model, logits.detach());
            var selected = InputGradients.SelectedLogitSum(logits, target);
            (featureGradient, rhythmGradient) = InputGradients.Gradient(selected, featureMaps, r);
        }

        var length = waveform.shape[2];
        var steps = featureMaps.shape[2];
        var channelWeights = featureGradient.mean([2], keepdim: true);
        var cam = nn.functional.relu((channelWeights * featureMaps.detach()).sum(1, keepdim: true));
        var upsampled = nn.functional.interpolate(cam, size: [length], mode: InterpolationMode.Linear, align_corners: false)
            .Times((double)steps / length);
        var rhythmPart = nn.functional.relu(rhythmGradient * rhythm);
        return new SaliencyResult(logits.detach(), target, SaliencyMaps.Concatenate(upsampled, rhythmPart));
    }
}
