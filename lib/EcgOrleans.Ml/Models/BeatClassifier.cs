using EcgOrleans.Ml.Runtime;
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

    private float[] decisionBias = new float[ClassCount];
    private FeatureStandardisation? standardisation;
    private float[] standardMean = [];
    private float[] standardScale = [];

    // Every process that builds a model (silo, CLI, benches, tests) gets the allocator settings and LibTorch's log
    // level before its first tensor of model work; forgetting them at one entry point would leave that process
    // paying page faults on every pass (NativeHeap), and fill its stderr with LibTorch's repeated warnings.
    static BeatClassifier()
    {
        NativeHeap.Configure();
        NativeLog.Configure();
    }

    protected BeatClassifier(string name, int waveformLength, int rhythmFeatures) : base(name)
    {
        WaveformLength = waveformLength;
        RhythmFeatures = rhythmFeatures;
    }

    public int WaveformLength { get; }

    public int RhythmFeatures { get; }

    /// <summary>
    /// Per-class offsets added to the logits before a class is chosen or probabilities are computed: the
    /// decision is argmax(logits + bias). Zeros unless a checkpoint carries a calibrated bias
    /// (<see cref="Checkpoints.CheckpointMetadata.DecisionBias"/>). Not a module buffer, so the weights and their
    /// hash stay those of training; <c>forward</c> still returns the raw logits, whose gradients the
    /// saliency methods explain (a constant offset would not change them anyway).
    /// </summary>
    public IReadOnlyList<float> DecisionBias
    {
        get => decisionBias;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count != ClassCount) throw new ArgumentException($"a decision bias has {ClassCount} values (one per class), not {value.Count}", nameof(value));
            if (value.Any(v => !float.IsFinite(v))) throw new ArgumentException("a decision bias must be finite", nameof(value));
            decisionBias = [.. value];
        }
    }

    public bool HasDecisionBias => decisionBias.Any(v => v != 0);

    /// <summary>How the model standardises its beat features before its head; null: it takes them as they come.</summary>
    public virtual FeatureStandardisation? Standardisation
    {
        get => standardisation;
        set
        {
            if (value?.Problem(RhythmFeatures) is { } problem) throw new ArgumentException(problem, nameof(value));
            standardisation = value;
            // Copied once here, not on every forward pass.
            standardMean = value is null ? [] : [.. value.Mean];
            standardScale = value is null ? [] : [.. value.Scale];
        }
    }

    /// <summary>Rhythm features [B, R] as the head takes them: standardised when <see cref="Standardisation"/> is set.</summary>
    protected Tensor Standardised(Tensor rhythm) => standardisation is null || RhythmFeatures == 0
        ? rhythm
        : (rhythm - tensor(standardMean, dtype: rhythm.dtype, device: rhythm.device)) / tensor(standardScale, dtype: rhythm.dtype, device: rhythm.device);

    /// <summary>Logits [B, 5] plus <see cref="DecisionBias"/>: what argmax and softmax are taken of.</summary>
    public Tensor DecisionLogits(Tensor logits) =>
        HasDecisionBias ? logits.Plus(tensor(decisionBias, dtype: logits.dtype, device: logits.device)) : logits;

    /// <summary>The decided class index [B] (int64) of every row of logits [B, 5]: argmax(logits + bias).</summary>
    public Tensor Decide(Tensor logits) => DecisionLogits(logits.detach()).argmax(1);

    /// <summary>Logits [B, 5] and the last convolutional feature maps [B, C, T] (what 1-D Grad-CAM weighs).</summary>
    public abstract (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor waveform, Tensor rhythm);

    public override Tensor forward(Tensor waveform, Tensor rhythm) => ForwardWithFeatures(waveform, rhythm).Logits;
}
