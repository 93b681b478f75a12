using EcgOrleans.Ml.Faithfulness;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Ml.Tests.Saliency;
using Xunit.Abstractions;
using static EcgOrleans.Ml.Tests.Saliency.TestInputs;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Faithfulness;

public sealed class DeletionTestTests(ITestOutputHelper output)
{
    /// <summary>A "method" that ranks inputs at random: what a useless saliency method looks like.</summary>
    private sealed class RandomSaliency(int seed) : ISaliencyMethod
    {
        public string Name => "random";

        public SaliencyResult Attribute(BeatClassifier model, Tensor waveform, Tensor rhythm, SaliencyTargets targets)
        {
            Tensor logits;
            using (no_grad()) logits = model.forward(waveform, rhythm);
            var generator = new Random(seed);
            var values = Enumerable.Range(0, (int)(waveform.shape[0] * (waveform.shape[2] + rhythm.shape[1]))).Select(_ => generator.NextSingle()).ToArray();
            return new SaliencyResult(logits, targets.Resolve(model, logits), tensor(values, [waveform.shape[0], waveform.shape[2] + rhythm.shape[1]]));
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void On_a_trained_model_vanilla_gradient_beats_random_deletion_and_a_random_map_does_not()
    {
        using var scope = NewDisposeScope();
        var model = SeparableBeats.TrainedKachuee(seed: 5);
        var (w, r, labels) = SeparableBeats.Make(perClass: 30, seed: 99);
        var accuracy = SeparableBeats.Accuracy(model, w, r, labels);
        Assert.True(accuracy > 0.95, $"the model did not learn the separable beats (accuracy {accuracy:F3}): the test needs a trained model");

        var options = new DeletionOptions(Steps: 16, Seed: 3);
        var vanilla = DeletionTest.Run(model, new VanillaGradient(), w, r, options);
        var useless = DeletionTest.Run(model, new RandomSaliency(seed: 11), w, r, options);

        foreach (var curves in new[] { vanilla, useless })
            output.WriteLine($"{curves.Method}: saliency area {curves.SaliencyArea:F3}, random area {curves.RandomArea:F3}, "
                + $"difference {curves.AreaDifference:F3}, ratio {curves.AreaRatio:F3}, wins {curves.SaliencyWinRate:P0}");
        // Beats of the class an all-baseline input is given to keep their probability whatever is deleted, so
        // the win rate stays well below 1; the areas show the difference.
        Assert.True(vanilla.AreaRatio < 0.7 && vanilla.AreaDifference > 0.2,
            $"vanilla gradient should beat random deletion: ratio {vanilla.AreaRatio:F3}, difference {vanilla.AreaDifference:F3}");
        Assert.InRange(useless.AreaRatio, 0.9, 1.1);
        Assert.InRange(useless.AreaDifference, -0.05, 0.05);
    }

    [Fact]
    public void Curves_start_at_the_clean_probability_end_at_the_baseline_one_and_areas_follow_the_trapezoid_rule()
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(16, 2, seed: 61, gain: 5);
        var (w, r) = Random(6, 16, 2, seed: 62);

        var curves = DeletionTest.Run(model, new GradientTimesInput(), w, r, new DeletionOptions(Steps: 6, Baseline: 0.5f, MaxRowsPerPass: 10));

        Tensor clean, empty;
        using (no_grad())
        {
            var logits = model.forward(w, r);
            var target = logits.argmax(1, keepdim: true);
            clean = nn.functional.softmax(logits, 1).gather(1, target);
            empty = nn.functional.softmax(model.forward(full_like(w, 0.5), full_like(r, 0.5)), 1).gather(1, target);
        }
        Assert.Equal(6, curves.Beats);
        Assert.Equal([0, 1 / 6.0, 2 / 6.0, 0.5, 4 / 6.0, 5 / 6.0, 1], curves.Fractions);
        Assert.Equal(clean.mean().item<float>(), curves.SaliencyOrder[0], 5);
        Assert.Equal(clean.mean().item<float>(), curves.RandomOrder[0], 5);
        Assert.Equal(empty.mean().item<float>(), curves.SaliencyOrder[^1], 5);
        Assert.Equal(empty.mean().item<float>(), curves.RandomOrder[^1], 5);
        // The mean of per-beat areas is the area of the mean curve (the rule is linear).
        Assert.Equal(Trapezoid(curves.Fractions, curves.SaliencyOrder), curves.SaliencyArea, 9);
        Assert.Equal(Trapezoid(curves.Fractions, curves.RandomOrder), curves.RandomArea, 9);
        Assert.Equal(curves.RandomArea - curves.SaliencyArea, curves.AreaDifference, 12);
    }

    [Fact]
    public void Zero_steps_are_rejected()
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(16, 2, seed: 63);
        var (w, r) = Random(2, 16, 2, seed: 64);

        Assert.Throws<ArgumentOutOfRangeException>(() => DeletionTest.Run(model, new VanillaGradient(), w, r, new DeletionOptions(Steps: 0)));
    }

    private static double Trapezoid(double[] x, double[] y) =>
        Enumerable.Range(0, x.Length - 1).Sum(i => (x[i + 1] - x[i]) * (y[i] + y[i + 1]) / 2);
}
