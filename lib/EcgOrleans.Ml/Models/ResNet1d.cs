using EcgOrleans.Ml.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Models;

/// <summary>
/// A 1-D ResNet in the style of Hannun et al. (2019, Nature Medicine), scaled from 30-s strips down to one
/// beat: a convolution stem, then pre-activation residual blocks (BN → ReLU → dropout → conv, twice),
/// every other block subsampling by 2 with a max-pool shortcut, the filter count doubling every
/// <see cref="BlocksPerStage"/> blocks (32 → 64 → 128), global average pooling, and the rhythm features
/// joined before a small fully connected head.
/// </summary>
public sealed class ResNet1d : BeatClassifier, ISplitAtFeatureMaps
{
    public const string ArchitectureName = "resnet";

    /// <summary>Hannun et al. use 16 taps at 200 Hz on 30-s strips; one beat needs less reach per layer (and 5 taps keep the checkpoint under 2 MB).</summary>
    public const int Kernel = 5;

    public const int BlockCount = 8;
    public const int BlocksPerStage = 3;
    public const int BaseFilters = 32;
    private const int Hidden = 32;
    private const double DropoutRate = 0.2;

    private readonly Conv1d stem;
    private readonly BatchNorm1d stemNorm;
    private readonly ModuleList<PreActivationBlock> blocks;
    private readonly BatchNorm1d finalNorm;
    private readonly Linear fc;
    private readonly Linear output;

    public ResNet1d(int waveformLength, int rhythmFeatures) : base(nameof(ResNet1d), waveformLength, rhythmFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rhythmFeatures);
        ArgumentOutOfRangeException.ThrowIfLessThan(waveformLength, 1 << (BlockCount / 2));
        stem = nn.Conv1d(1, BaseFilters, Kernel, padding: Kernel / 2, bias: false);
        stemNorm = nn.BatchNorm1d(BaseFilters);
        var list = new List<PreActivationBlock>();
        var channels = BaseFilters;
        for (var i = 0; i < BlockCount; i++)
        {
            var outChannels = FiltersOfBlock(i);
            list.Add(new PreActivationBlock($"block{i}", channels, outChannels, subsample: i % 2 == 1));
            channels = outChannels;
        }
        blocks = new ModuleList<PreActivationBlock>([.. list]);
        finalNorm = nn.BatchNorm1d(channels);
        fc = nn.Linear(channels + rhythmFeatures, Hidden);
        output = nn.Linear(Hidden, ClassCount);
        RegisterComponents();
    }

    public static int FiltersOfBlock(int block) => BaseFilters << (block / BlocksPerStage);

    public override (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor waveform, Tensor rhythm)
    {
        ModelInput.Validate(this, waveform, rhythm);
        var features = FeatureMaps(waveform);
        return (Head(features, rhythm), features);
    }

    Tensor ISplitAtFeatureMaps.FeatureMaps(Tensor waveform) => FeatureMaps(waveform);

    Tensor ISplitAtFeatureMaps.Head(Tensor features, Tensor rhythm) => Head(features, rhythm);

    /// <summary>The last block's output after the final BN and ReLU [B, 128, T]: what Grad-CAM weighs.</summary>
    private Tensor FeatureMaps(Tensor waveform)
    {
        // The blocks run channels-last (see ChannelsLast1d); the stem's single input channel gains nothing from it.
        var x = nn.functional.relu(ChannelsLast1d.BatchNorm(stemNorm, ChannelsLast1d.From(stem.forward(waveform))));
        foreach (var block in blocks) x = block.forward(x);
        return nn.functional.relu(ChannelsLast1d.BatchNorm(finalNorm, x));
    }

    private Tensor Head(Tensor features, Tensor rhythm)
    {
        var pooled = features.mean([2L]);
        if (RhythmFeatures > 0) pooled = cat([pooled, Standardised(rhythm)], 1);
        return output.forward(nn.functional.relu(fc.forward(pooled)));
    }

    private sealed class PreActivationBlock : nn.Module<Tensor, Tensor>
    {
        private readonly BatchNorm1d norm1;
        private readonly Dropout drop1;
        private readonly Conv1d conv1;
        private readonly BatchNorm1d norm2;
        private readonly Dropout drop2;
        private readonly Conv1d conv2;
        private readonly long stride;
        private readonly long extraChannels;

        public PreActivationBlock(string name, int inChannels, int outChannels, bool subsample) : base(name)
        {
            stride = subsample ? 2 : 1;
            norm1 = nn.BatchNorm1d(inChannels);
            drop1 = nn.Dropout(DropoutRate);
            conv1 = nn.Conv1d(inChannels, outChannels, Kernel, stride: stride, padding: Kernel / 2, bias: false);
            norm2 = nn.BatchNorm1d(outChannels);
            drop2 = nn.Dropout(DropoutRate);
            conv2 = nn.Conv1d(outChannels, outChannels, Kernel, padding: Kernel / 2, bias: false);
            extraChannels = outChannels - inChannels;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var h = ChannelsLast1d.Conv(conv1, drop1.forward(nn.functional.relu(ChannelsLast1d.BatchNorm(norm1, input))), Kernel / 2, stride);
            h = ChannelsLast1d.Conv(conv2, drop2.forward(nn.functional.relu(ChannelsLast1d.BatchNorm(norm2, h))), Kernel / 2);
            // ceil_mode keeps the shortcut as long as the strided convolution on odd lengths (187 samples).
            var shortcut = stride == 1 ? input : ChannelsLast1d.MaxPool(input, 2, 2, ceilMode: true);
            // Like Hannun et al., widen the shortcut with zero channels rather than a learned projection
            // (padding returns channel-major memory: back to channels-last, or the sum below would be too).
            if (extraChannels > 0) shortcut = ChannelsLast1d.From(nn.functional.pad(shortcut, [0, 0, 0, extraChannels]));
            return h.Plus(shortcut);
        }
    }
}
