using EcgOrleans.Ml.Runtime;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Saliency;

/// <summary>Turns raw attributions into the maps that are averaged over classes.</summary>
public static class SaliencyMaps
{
    /// <summary>
    /// The paper's "adapted" map: the absolute attribution divided by its largest value over the beat's whole
    /// input (waveform and rhythm together, so their shares stay comparable). Every map then lies in [0, 1]
    /// with a maximum of exactly 1, so every beat weighs the same in a class average. A beat whose attributions
    /// are all zero keeps an all-zero map (no division by zero).
    /// </summary>
    /// <param name="attributions">[B, D] raw attributions.</param>
    public static Tensor NormalizePerBeat(Tensor attributions)
    {
        var magnitude = attributions.abs();
        var peak = magnitude.amax([1], keepdim: true);
        // Where the peak is 0 the whole row is 0: dividing by 1 keeps it 0 instead of NaN.
        return magnitude / where(peak.GreaterThan(0), peak, ones_like(peak));
    }

    /// <summary>Waveform and rhythm parts side by side: [B, 1, L] and [B, R] to [B, L + R].</summary>
    public static Tensor Concatenate(Tensor waveformPart, Tensor rhythmPart) =>
        cat([waveformPart.flatten(1), rhythmPart.flatten(1)], 1);
}
