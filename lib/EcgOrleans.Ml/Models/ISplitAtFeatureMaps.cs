using static TorchSharp.torch;

namespace EcgOrleans.Ml.Models;

/// <summary>
/// A model whose forward pass is <c>Head(FeatureMaps(waveform), rhythm)</c>, split at the feature maps Grad-CAM
/// weighs. A <see cref="BeatEnsemble"/> needs the split: it puts its members' maps side by side and feeds each
/// member's head its own slice, so the maps it returns are the ones its logits were computed from.
/// </summary>
internal interface ISplitAtFeatureMaps
{
    /// <summary>Feature maps [B, C, T] of checked waveforms [B, 1, L].</summary>
    Tensor FeatureMaps(Tensor waveform);

    /// <summary>Logits [B, 5] from feature maps [B, C, T] and rhythm features [B, R].</summary>
    Tensor Head(Tensor features, Tensor rhythm);
}
