using static TorchSharp.torch;

namespace EcgOrleans.Ml.Models;

/// <summary>
/// Checks a batch before a model sees it, so that a wrong window length or a NaN beat fails with a
/// message naming the problem instead of a libtorch shape error or silently wrong logits.
/// </summary>
public static class ModelInput
{
    public static void Validate(BeatClassifier model, Tensor waveform, Tensor rhythm)
    {
        ArgumentNullException.ThrowIfNull(waveform);
        ArgumentNullException.ThrowIfNull(rhythm);
        if (waveform.dim() != 3 || waveform.shape[1] != 1)
            throw new ArgumentException($"waveform must be [batch, 1, {model.WaveformLength}], got {Shape(waveform)}", nameof(waveform));
        var batch = waveform.shape[0];
        if (batch == 0)
            throw new ArgumentException("empty batch: at least one beat is needed", nameof(waveform));
        if (waveform.shape[2] != model.WaveformLength)
            throw new ArgumentException(
                $"waveform length {waveform.shape[2]} does not match the model's {model.WaveformLength} samples (wrong representation?)", nameof(waveform));
        if (rhythm.dim() != 2 || rhythm.shape[0] != batch || rhythm.shape[1] != model.RhythmFeatures)
            throw new ArgumentException(
                $"rhythm must be [{batch}, {model.RhythmFeatures}] for this model, got {Shape(rhythm)}", nameof(rhythm));
        // Float64 is what tests check LibTorch's float32 kernels against; both inputs must have the same type.
        if (waveform.dtype is not (ScalarType.Float32 or ScalarType.Float64) || rhythm.dtype != waveform.dtype)
            throw new ArgumentException($"inputs must both be float32 (or both float64), got waveform {waveform.dtype} and rhythm {rhythm.dtype}");
        ThrowIfNotFinite(waveform, nameof(waveform));
        if (model.RhythmFeatures > 0) ThrowIfNotFinite(rhythm, nameof(rhythm));
    }

    private static void ThrowIfNotFinite(Tensor values, string name)
    {
        using var scope = NewDisposeScope();
        var finite = isfinite(values.detach());
        if (finite.all().item<bool>()) return;
        // Name the first offending beat: that is what a caller can go and look at.
        var perBeat = finite.reshape(values.shape[0], -1).all(1);
        var first = (~perBeat).nonzero()[0, 0].item<long>();
        throw new ArgumentException($"{name} of beat {first} in the batch holds NaN or infinite values", name);
    }

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
