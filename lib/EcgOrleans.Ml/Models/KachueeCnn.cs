using EcgOrleans.Ml.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Models;

/// <summary>
/// The residual CNN of Kachuee, Fazeli and Sarrafzadeh (2018, "ECG Heartbeat Classification: A Deep
/// Transferable Representation"): a 32-filter convolution, five residual blocks
/// [conv k5 → ReLU → conv k5 → + skip → ReLU → max-pool k5 s2], flatten, then FC 32 → ReLU → FC 32 → ReLU → 5 logits.
/// Rhythm features, when the model takes any, join the flattened features before the fully connected head.
/// </summary>
public sealed class KachueeCnn : BeatClassifier, ISplitAtFeatureMaps
{
    public const string ArchitectureName = "kachuee";
    private const int Filters = 32;
    private const int Kernel = 5;
    private const int BlockCount = 5;
    private const int Hidden = 32;
    private const int PoolKernel = 5;
    private const int PoolStride = 2;

    private readonly Conv1d stem;
    private readonly ModuleList<KachueeBlock> blocks;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Linear output;

    public KachueeCnn(int waveformLength, int rhythmFeatures) : base(nameof(KachueeCnn), waveformLength, rhythmFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rhythmFeatures);
        FeatureLength = PooledLength(waveformLength, BlockCount);
        if (FeatureLength < 1)
            throw new ArgumentOutOfRangeException(nameof(waveformLength), waveformLength, $"too short for {BlockCount} pooling stages");
        stem = nn.Conv1d(1, Filters, Kernel, padding: Kernel / 2);
        blocks = new ModuleList<KachueeBlock>([.. Enumerable.Range(0, BlockCount).Select(i => new KachueeBlock($"block{i}"))]);
        fc1 = nn.Linear(Filters * FeatureLength + rhythmFeatures, Hidden);
        fc2 = nn.Linear(Hidden, Hidden);
        output = nn.Linear(Hidden, ClassCount);
        RegisterComponents();
    }

    /// <summary>Time steps left after the last pooling stage (what the flattened features are made of).</summary>
    public int FeatureLength { get; }

    public override (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor waveform, Tensor rhythm)
    {
        ModelInput.Validate(this, waveform, rhythm);
        var features = FeatureMaps(waveform);
        return (Head(features, rhythm), features);
    }

    Tensor ISplitAtFeatureMaps.FeatureMaps(Tensor waveform) => FeatureMaps(waveform);

    Tensor ISplitAtFeatureMaps.Head(Tensor features, Tensor rhythm) => Head(features, rhythm);

    /// <summary>The last residual block's output before its pool [B, 32, T]: what Grad-CAM weighs.</summary>
    private Tensor FeatureMaps(Tensor waveform)
    {
        // The trunk runs channels-last (see ChannelsLast1d); the stem's single input channel gains nothing from it.
        var x = ChannelsLast1d.From(stem.forward(waveform));
        for (var i = 0; i < BlockCount - 1; i++) x = ChannelsLast1d.MaxPool(blocks[i].forward(x), PoolKernel, PoolStride);
        // Grad-CAM wants the last convolution's activations at their finest resolution: before the last pool.
        return blocks[BlockCount - 1].forward(x);
    }

    private Tensor Head(Tensor features, Tensor rhythm)
    {
        var flat = ChannelsLast1d.MaxPool(features, PoolKernel, PoolStride).flatten(1); // copies back to channel-major order, the order fc1's weights were trained on
        if (RhythmFeatures > 0) flat = cat([flat, Standardised(rhythm)], 1);
        var hidden = nn.functional.relu(fc2.forward(nn.functional.relu(fc1.forward(flat))));
        return output.forward(hidden);
    }

    /// <summary>Length after <paramref name="stages"/> max-pools of kernel 5, stride 2, no padding.</summary>
    internal static int PooledLength(int length, int stages)
    {
        for (var i = 0; i < stages; i++) length = length < PoolKernel ? 0 : (length - PoolKernel) / PoolStride + 1;
        return length;
    }

    /// <summary>conv → ReLU → conv → + input → ReLU (the pool is applied by the caller).</summary>
    private sealed class KachueeBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv1d conv1;
        private readonly Conv1d conv2;

        public KachueeBlock(string name) : base(name)
        {
            conv1 = nn.Conv1d(Filters, Filters, Kernel, padding: Kernel / 2);
            conv2 = nn.Conv1d(Filters, Filters, Kernel, padding: Kernel / 2);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var h = nn.functional.relu(ChannelsLast1d.Conv(conv1, input, Kernel / 2));
            return nn.functional.relu(ChannelsLast1d.Conv(conv2, h, Kernel / 2).Plus(input));
        }
    }
}
