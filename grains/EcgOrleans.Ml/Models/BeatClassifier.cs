using TorchSharp;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Models;

/// <summary>
/// The contract every beat model keeps: logits for the five AAMI classes from a batch of waveforms
/// [B, 1, L] and rhythm features [B, R] (R may be 0: an empty [B, 0] tensor).
/// </summary>
public abstract class BeatClassifier : nn.Module<Tensor, Tensor, Tensor>
{
    public const int ClassCount = 5;

    protected BeatClassifier(string name, int waveformLength, int rhythmFeatures) : base(name)
    {
        WaveformLength = waveformLength;
        RhythmFeatures = rhythmFeatures;
    }

    public int WaveformLength { get; }

    public int RhythmFeatures { get; }

    /// <summary>Logits [B, 5] and the last convolutional feature maps [B, C, T] (what 1-D Grad-CAM weighs).</summary>
    public abstract (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor waveform, Tensor rhythm);

    public override Tensor forward(Tensor waveform, Tensor rhythm) => ForwardWithFeatures(waveform, rhythm).Logits;
}
