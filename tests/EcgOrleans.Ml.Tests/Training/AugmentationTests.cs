using EcgOrleans.Ml.Training;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests;

public sealed class AugmentationTests
{
    [Fact]
    public void None_returns_the_batch_unchanged()
    {
        using var scope = NewDisposeScope();
        var x = randn(3, 1, 50);
        Assert.Same(x, BeatAugmentation.None.Apply(x));
    }

    [Fact]
    public void A_shift_moves_a_spike_by_at_most_max_shift_and_keeps_the_shape()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var x = zeros(64, 1, 100);
        x[.., 0, 50] = tensor(1f);
        var shifted = new BeatAugmentation(MaxShift: 3, 0, 0, 0).Apply(x);
        Assert.Equal(x.shape, shifted.shape);
        var positions = shifted.argmax(2).reshape(-1).data<long>().ToArray();
        Assert.All(positions, p => Assert.InRange(p, 47, 53));
        Assert.True(positions.Distinct().Count() > 3, "shifts should vary between beats");
        Assert.Equal(64f, shifted.sum().item<float>());
    }

    [Fact]
    public void Scale_offset_and_noise_stay_within_their_ranges()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var x = ones(200, 1, 30);
        var scaled = new BeatAugmentation(0, ScaleRange: 0.1, 0, 0).Apply(x);
        Assert.InRange(scaled.min().item<float>(), 0.9f - 1e-6f, 1.1f);
        Assert.InRange(scaled.max().item<float>(), 0.9f, 1.1f + 1e-6f);
        var offset = new BeatAugmentation(0, 0, OffsetRange: 0.2, 0).Apply(x) - x;
        Assert.True(offset.abs().max().item<float>() <= 0.2f + 1e-6f);
        var noisy = new BeatAugmentation(0, 0, 0, NoiseStd: 0.05).Apply(x) - x;
        Assert.InRange(noisy.std().item<float>(), 0.045f, 0.055f);
    }

    [Fact]
    public void Rate_jitter_changes_only_the_average_rr_within_its_factor()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var rhythm = ones(500, 4) * 0.8f;
        var jittered = new BeatAugmentation(0, 0, 0, 0, RateFactor: 1.25).ApplyToRhythm(rhythm);
        Assert.Equal(0f, (jittered[.., ..3] - rhythm[.., ..3]).abs().max().item<float>());
        var ratio = jittered[.., 3] / rhythm[.., 3];
        Assert.InRange(ratio.min().item<float>(), 0.8f - 1e-5f, 0.85f);
        Assert.InRange(ratio.max().item<float>(), 1.2f, 1.25f + 1e-5f);
        Assert.Same(rhythm, BeatAugmentation.None.ApplyToRhythm(rhythm));
        var empty = zeros(3, 0);
        Assert.Same(empty, new BeatAugmentation(0, 0, 0, 0, 1.5).ApplyToRhythm(empty));
    }

    [Fact]
    public void Waveform_dropout_blanks_whole_beats_at_its_rate_and_leaves_the_others_as_they_were()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var x = randn(2000, 1, 40) + 3;
        var dropped = new BeatAugmentation(0, 0, 0, 0, WaveformDropout: 0.3).Apply(x);

        var blank = (dropped.abs().sum([1, 2]) == 0).to_type(ScalarType.Float32);
        Assert.InRange(blank.mean().item<float>(), 0.27f, 0.33f);
        var kept = (1 - blank).reshape(-1, 1, 1);
        Assert.Equal(0f, ((dropped - x) * kept).abs().max().item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BeatAugmentation(0, 0, 0, 0, WaveformDropout: 1).Validate());
    }

    [Fact]
    public void Defaults_scale_with_the_sampling_frequency()
    {
        Assert.Equal(4, BeatAugmentation.For(360, 1).MaxShift);
        Assert.Equal(1, BeatAugmentation.For(125, 0.25).MaxShift);
    }
}
