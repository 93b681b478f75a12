using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests;

/// <summary>
/// The models run their 1-D layers as channels-last 2-D ones for speed; these tests pin that the rewrite computes
/// what the 1-D layers compute, gradients included, and that the speed-giving layout survives every block.
/// </summary>
public sealed class ChannelsLastTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    public void Convolution_equals_the_1d_layer_in_values_and_input_gradients(long stride)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var conv = nn.Conv1d(8, 16, 5, stride: stride, padding: 2);
        var input = randn(3, 8, 41);
        var outputGradient = randn(3, 16, (41 + 4 - 5) / stride + 1);

        var (expected, expectedGradient) = ValueAndGradient(x => conv.forward(x), input, outputGradient);
        var (actual, actualGradient) = ValueAndGradient(x => ChannelsLast1d.Conv(conv, ChannelsLast1d.From(x), 2, stride), input, outputGradient);

        AssertClose(expected, actual);
        AssertClose(expectedGradient, actualGradient);
    }

    [Theory]
    [InlineData(5L, 2L, false)]
    [InlineData(2L, 2L, true)]
    public void Max_pool_equals_the_1d_pool_and_routes_ties_to_the_same_sample(long kernel, long stride, bool ceilMode)
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        // Rounded ReLU outputs: many windows hold tied maxima (zeros and equal positives), as after a ReLU.
        var input = nn.functional.relu(randn(4, 6, 37)).mul(3).round();
        var length = ceilMode ? (37 - kernel + stride - 1) / stride + 1 : (37 - kernel) / stride + 1;
        var outputGradient = randn(4, 6, length);

        var (expected, expectedGradient) = ValueAndGradient(x => nn.functional.max_pool1d(x, kernel, stride, ceil_mode: ceilMode), input, outputGradient);
        var (actual, actualGradient) = ValueAndGradient(x => ChannelsLast1d.MaxPool(ChannelsLast1d.From(x), kernel, stride, ceilMode), input, outputGradient);

        Assert.Equal(0f, (expected - actual).abs().max().item<float>());
        Assert.Equal(0f, (expectedGradient - actualGradient).abs().max().item<float>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Batch_norm_equals_the_1d_layer_and_updates_the_same_running_statistics(bool training)
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        using var reference = nn.BatchNorm1d(6);
        using var rewritten = nn.BatchNorm1d(6);
        foreach (var norm in new[] { reference, rewritten })
        {
            // Distinct, non-trivial statistics and affine weights, the same in both layers.
            using var noGrad = no_grad();
            norm.running_mean!.copy_(arange(6, dtype: float32) * 0.1f);
            norm.running_var!.copy_(arange(6, dtype: float32) * 0.2f + 0.5f);
            norm.weight!.copy_(arange(6, dtype: float32) * 0.3f - 0.4f);
            norm.bias!.copy_(arange(6, dtype: float32) * -0.05f);
            norm.train(training);
        }
        var input = randn(5, 6, 23) * 2 + 1;
        var outputGradient = randn(5, 6, 23);

        var (expected, expectedGradient) = ValueAndGradient(x => reference.forward(x), input, outputGradient);
        var (actual, actualGradient) = ValueAndGradient(x => ChannelsLast1d.BatchNorm(rewritten, ChannelsLast1d.From(x)), input, outputGradient);

        AssertClose(expected, actual);
        AssertClose(expectedGradient, actualGradient);
        AssertClose(reference.running_mean!, rewritten.running_mean!);
        AssertClose(reference.running_var!, rewritten.running_var!);
        if (training) Assert.True((reference.running_mean! - arange(6, dtype: float32) * 0.1f).abs().max().item<float>() > 1e-3f, "training must move the statistics");
    }

    [Theory]
    [MemberData(nameof(ModelTests.Configurations), MemberType = typeof(ModelTests))]
    public void Feature_maps_stay_channels_last_through_every_block(string architecture, int length, int rhythm)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var model = ModelFactory.Create(architecture, length, rhythm);
        model.eval();
        var features = model.ForwardWithFeatures(randn(4, 1, length), randn(4, rhythm)).Features;

        // A layer that hands back channel-major memory would make every later convolution take the slow path.
        Assert.Equal(1L, features.stride(1));
        Assert.Equal(features.shape[1], features.stride(2));
    }

    [Fact]
    public void Native_heap_settings_are_in_force_on_glibc()
    {
        Assert.True(OperatingSystem.IsLinux(), "the product runs on linux-x64 only");
        Assert.True(NativeHeap.Configure(), $"mallopt refused the settings (or {NativeHeap.Variable}=default is set)");
        Assert.True(NativeHeap.Configure(), "a second call must report the same");
    }

    private static (Tensor Value, Tensor InputGradient) ValueAndGradient(Func<Tensor, Tensor> layer, Tensor input, Tensor outputGradient)
    {
        var x = input.detach().clone().requires_grad_(true);
        var y = layer(x);
        var gradient = autograd.grad([y], [x], [outputGradient])[0];
        return (y.detach().contiguous(), gradient.contiguous());
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var error = (expected - actual).abs().max().item<float>();
        Assert.True(error < 1e-5f * Math.Max(1f, expected.abs().max().item<float>()), $"max |difference| {error}");
    }
}
