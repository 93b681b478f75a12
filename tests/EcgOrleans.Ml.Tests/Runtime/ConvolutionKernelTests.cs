using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Tests;
using TorchSharp;
using Xunit.Abstractions;
using static EcgOrleans.Ml.Tests.Saliency.TestInputs;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Runtime;

/// <summary>
/// The input gradients of every bundled model, computed with LibTorch's float32 CPU kernels (oneDNN, which picks its
/// kernels by instruction set and shape), against the same weights evaluated in float64 (LibTorch's own kernels).
/// A kernel that reads memory it should not shows here on whatever CPU the suite runs.
/// </summary>
public sealed class ConvolutionKernelTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> ModelsAndBatches()
    {
        var data = new TheoryData<string, int>();
        foreach (var model in new[] { "kachuee-window-ds1", "resnet-window-ds1", "kachuee-kachuee-ds1", "kachuee-window-ds1-ensemble" })
        foreach (var batch in new[] { 1, 7, 64 })
            data.Add(model, batch);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsAndBatches))]
    [Trait("Category", "Slow")]
    public void Float32_gradients_agree_with_float64_ones(string name, int batch)
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(TestData.RepositoryRoot, "models", name + ".ckpt");
        using var single = Checkpoint.Load(path).Model;
        using var dual = Checkpoint.Load(path).Model;
        dual.to(float64);
        foreach (var model in new[] { single, dual })
        {
            model.eval();
            foreach (var p in model.parameters()) p.requires_grad = false;
        }
        var (w, r) = Random(batch, single.WaveformLength, single.RhythmFeatures, seed: 91);

        var vanilla = new VanillaGradient();
        var f32 = vanilla.Attribute(single, w, r, SaliencyTargets.Predicted);
        var f64 = vanilla.Attribute(dual, w.to(float64), r.to(float64), new SaliencyTargets(SaliencyTarget.Reference, f32.Targets));

        var bound = RoundingBound(single);
        var scale = f64.Attributions.abs().amax([1], keepdim: true);
        var perBeat = ((f32.Attributions.to(float64) - f64.Attributions).abs() / scale).amax([1]);
        var outside = (perBeat > bound).sum().item<long>();
        output.WriteLine($"{name}, batch {batch}: largest |f32 - f64| / beat scale {perBeat.max().item<double>():E2}, rounding bound {bound:E2}, beats outside it {outside}");

        Assert.True(isfinite(f32.Attributions).all().item<bool>(), "float32 gradients hold NaN or infinity");
        // Where a ReLU input or two max-pool candidates lie within rounding of each other, float32 and float64 may
        // route part of a beat's gradient differently (bench/README.md): a few beats in a large batch may fall
        // outside the rounding bound. A faulty kernel puts every beat outside it.
        Assert.True(outside <= batch / 32, $"{outside} of {batch} beats differ from float64 by more than float32 rounding ({bound:E2} of the beat's largest gradient)");
    }

    [Theory]
    [InlineData("kachuee")]
    [InlineData("resnet")]
    public void Every_convolution_of_an_architecture_has_a_multiple_of_16_output_channels(string architecture)
    {
        // LibTorch 2.10's oneDNN returned wrong or NaN input gradients, changing from call to call, for convolutions
        // whose output channels were not a multiple of the CPU's vector block (8 floats with AVX2, 16 with AVX-512);
        // right with ONEDNN_MAX_CPU_ISA=SSE41 and with multiples of 16. The shipped architectures stay clear of it.
        using var model = ModelFactory.Create(architecture, BeatRepresentation.Window.Length, 6);
        var convolutions = model.modules().OfType<TorchSharp.Modules.Conv1d>().ToList();

        Assert.NotEmpty(convolutions);
        Assert.All(convolutions, c => Assert.True(c.weight!.shape[0] % 16 == 0, $"a convolution with {c.weight!.shape[0]} output channels"));
    }

    /// <summary>
    /// A float32 sum of n terms carries a relative error of at most about n·u (u = 2^-24, Higham's γ_n). An input
    /// gradient passes every layer twice, forward and back: a convolution sums in_channels × kernel terms per output
    /// forward and out_channels × kernel per input backward, a linear layer in_features and out_features.
    /// </summary>
    internal static double RoundingBound(nn.Module model)
    {
        double terms = 0;
        foreach (var (_, module) in model.named_modules())
        {
            switch (module)
            {
                case TorchSharp.Modules.Conv1d conv:
                    var taps = conv.weight!.shape[2];
                    terms += (conv.weight!.shape[1] + conv.weight!.shape[0]) * taps;
                    break;
                case TorchSharp.Modules.Linear linear:
                    terms += linear.weight!.shape[1] + linear.weight!.shape[0];
                    break;
            }
        }
        return terms * Math.Pow(2, -24);
    }
}
