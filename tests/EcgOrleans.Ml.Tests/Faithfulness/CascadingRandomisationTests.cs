using EcgOrleans.Ml.Faithfulness;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Ml.Tests.Saliency;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Faithfulness;

public sealed class CascadingRandomisationTests
{
    [Fact]
    public void Layers_run_from_the_output_to_the_input_with_residual_blocks_whole()
    {
        using var kachuee = new KachueeCnn(256, 6);
        Assert.Equal(["output", "fc2", "fc1", "blocks.4", "blocks.3", "blocks.2", "blocks.1", "blocks.0", "stem"],
            CascadingRandomisation.TopDown(kachuee).Select(l => l.Name));
        using var resnet = new ResNet1d(256, 6);
        Assert.Equal(["output", "fc", "finalNorm", "blocks.7", "blocks.6", "blocks.5", "blocks.4", "blocks.3", "blocks.2", "blocks.1", "blocks.0", "stemNorm", "stem"],
            CascadingRandomisation.TopDown(resnet).Select(l => l.Name));
        // Every parameter is in exactly one layer.
        Assert.Equal(resnet.parameters().Count(), CascadingRandomisation.TopDown(resnet).Sum(l => l.Parameters.Count));
    }

    [Fact]
    public void Reinitialising_a_layer_changes_all_its_parameters_and_no_other()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var model = new KachueeCnn(256, 6);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var layers = CascadingRandomisation.TopDown(model);

        CascadingRandomisation.Reinitialise(layers.Single(l => l.Name == "blocks.2"), seed: 9);

        foreach (var (name, parameter) in model.named_parameters())
        {
            var changed = parameter.ne(before[name]).to(ScalarType.Float64).mean().item<double>();
            if (CascadingRandomisation.LayerOf(name) == "blocks.2")
                Assert.True(changed > 0.99, $"{name}: only {changed:P1} of its values changed");
            else
                Assert.True(changed == 0, $"{name} is outside the layer but changed");
        }
        // PyTorch's default bound: ±1/√fan-in, fan-in 32 channels × 5 taps.
        var conv = model.named_parameters().Single(p => p.name == "blocks.2.conv1.weight").parameter;
        Assert.True(conv.abs().max().item<float>() <= 1 / MathF.Sqrt(160), "a re-initialised weight is outside ±1/√fan-in");
    }

    [Fact]
    public void Batch_norm_scales_are_redrawn_too_and_the_same_seed_draws_the_same_weights()
    {
        using var scope = NewDisposeScope();
        using var a = new ResNet1d(64, 2);
        using var b = new ResNet1d(64, 2);
        CascadingRandomisation.Reinitialise(CascadingRandomisation.TopDown(a).Single(l => l.Name == "finalNorm"), seed: 4);
        CascadingRandomisation.Reinitialise(CascadingRandomisation.TopDown(b).Single(l => l.Name == "finalNorm"), seed: 4);
        var scaleA = a.named_parameters().Single(p => p.name == "finalNorm.weight").parameter;
        var scaleB = b.named_parameters().Single(p => p.name == "finalNorm.weight").parameter;
        Assert.True(scaleA.ne(ones_like(scaleA)).all().item<bool>(), "batch-norm scales kept their initial 1");
        Assert.True(scaleA.equal(scaleB).all().item<bool>());
    }

    /// <summary>A "method" that ignores the model: the input itself. Adebayo et al.'s edge detector in one line.</summary>
    private sealed class InputAsMap : ISaliencyMethod
    {
        public string Name => "input";

        public SaliencyResult Attribute(BeatClassifier model, Tensor waveform, Tensor rhythm, SaliencyTargets targets)
        {
            Tensor logits;
            using (no_grad()) logits = model.forward(waveform, rhythm);
            return new SaliencyResult(logits, targets.Resolve(model, logits), cat([waveform.flatten(1), rhythm], 1));
        }
    }

    [Fact]
    public void A_map_that_ignores_the_model_stays_the_same_as_layers_go_and_the_gradient_does_not()
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(32, 2, seed: 21, gain: 5);
        var (w, r) = TestInputs.Random(8, 32, 2, seed: 22);
        var targets = zeros(8, dtype: ScalarType.Int64);

        var steps = ModelRandomisationTest.Run(model, [new VanillaGradient(), new InputAsMap()], w, r, targets, seed: 5);

        Assert.Equal(["none", "output", "hidden", "conv2", "conv1"], steps.Select(s => s.Layer));
        // Untouched model: the same maps (vanilla is deterministic on this CPU to float rounding; ranks of ties may move,
        // so not exactly 1).
        Assert.True(steps[0].MeanSpearman["vanilla"] > 0.999);
        // The input is the input: ρ exactly 1 at every step.
        Assert.All(steps, s => Assert.Equal(1, s.MeanSpearman["input"], 12));
        // With every layer redrawn, the gradient explains another function: far from its original map.
        Assert.True(steps[^1].MeanSpearman["vanilla"] < 0.8, $"vanilla ρ {steps[^1].MeanSpearman["vanilla"]:F3} after randomising every layer");
    }
}
