using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using TorchSharp;
using static EcgOrleans.Ml.Tests.Saliency.TestInputs;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Saliency;

public sealed class SaliencyMethodTests
{
    private const int Length = 32;
    private const int Rhythm = 4;

    public static TheoryData<string> MethodNames() => [.. SaliencyMethods.Names];

    /// <summary>Small settings so that every method runs in milliseconds; expanded batches take several passes.</summary>
    internal static readonly SaliencyOptions Quick = new(
        SmoothGradSamples: 6, IntegratedGradientsSteps: 8, OcclusionWindow: 6, OcclusionStride: 4, MaxRowsPerPass: 20);

    [Fact]
    public void Vanilla_gradient_equals_central_finite_differences()
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(Length, Rhythm, seed: 3);
        model.to(float64);
        const int batch = 3;
        var (w, r) = Random(batch, Length, Rhythm, seed: 5, float64);

        var result = new VanillaGradient().Attribute(model, w, r, SaliencyTargets.Predicted);

        var input = cat([w.flatten(1), r], 1);
        double TargetLogit(Tensor values, int beat)
        {
            using var noGrad = no_grad();
            var logits = model.forward(values.narrow(1, 0, Length).unsqueeze(1), values.narrow(1, Length, Rhythm));
            return logits[beat, result.Targets[beat]].item<double>();
        }
        const double h = 1e-5;
        var finite = new double[batch * (Length + Rhythm)];
        for (var b = 0; b < batch; b++)
        for (var i = 0; i < Length + Rhythm; i++)
        {
            var step = zeros_like(input);
            step[b, i] = tensor(h, float64);
            finite[b * (Length + Rhythm) + i] = (TargetLogit(input + step, b) - TargetLogit(input - step, b)) / (2 * h);
        }

        var analytic = Doubles(result.Attributions);
        var scale = analytic.Max(Math.Abs);
        Assert.True(scale > 1e-3, $"gradient too small to compare ({scale})");
        var error = analytic.Zip(finite, (a, f) => Math.Abs(a - f)).Max();
        Assert.True(error < 1e-7 * Math.Max(1, scale), $"analytic and finite-difference gradients differ by {error} (largest gradient {scale})");
    }

    [Fact]
    public void Gradient_times_input_is_the_vanilla_gradient_times_the_input()
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(Length, Rhythm, seed: 4);
        var (w, r) = Random(4, Length, Rhythm, seed: 6);

        var gradient = new VanillaGradient().Attribute(model, w, r, SaliencyTargets.Predicted).Attributions;
        var product = new GradientTimesInput().Attribute(model, w, r, SaliencyTargets.Predicted).Attributions;

        Assert.True(MaxAbsDifference(product, gradient * cat([w.flatten(1), r], 1)) < 1e-6);
    }

    [Theory]
    [InlineData(IntegrationRule.Trapezoid, 64)]
    [InlineData(IntegrationRule.MidpointRiemann, 64)]
    [InlineData(IntegrationRule.RightRiemann, 256)]
    public void Integrated_gradients_sum_to_the_logit_difference_from_the_baseline(IntegrationRule rule, int steps)
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(Length, Rhythm, seed: 7, gain: 20);
        model.to(float64);
        var (w, r) = Random(6, Length, Rhythm, seed: 8, float64);
        // Scale the beats up so that the path crosses the curved part of tanh.
        w *= 3;

        var result = new IntegratedGradients(steps, rule).Attribute(model, w, r, SaliencyTargets.Predicted);

        var target = result.Targets.unsqueeze(1);
        Tensor atBaseline;
        using (no_grad()) atBaseline = model.forward(zeros_like(w), zeros_like(r)).gather(1, target).squeeze(1);
        var expected = Doubles(result.Logits.gather(1, target).squeeze(1) - atBaseline);
        var sums = Doubles(result.Attributions.sum(1));
        for (var b = 0; b < expected.Length; b++)
        {
            Assert.True(Math.Abs(expected[b]) > 0.05, $"beat {b}: logit difference {expected[b]} too small for a 1 % test");
            Assert.True(Math.Abs(sums[b] - expected[b]) <= 0.01 * Math.Abs(expected[b]),
                $"beat {b}: attributions sum to {sums[b]}, f(x) - f(baseline) = {expected[b]}");
        }
    }

    [Fact]
    public void Integrated_gradients_of_a_linear_model_are_weight_times_input_minus_baseline()
    {
        using var scope = NewDisposeScope();
        var model = new LinearModel(Length, Rhythm, seed: 9);
        var (w, r) = Random(3, Length, Rhythm, seed: 10);
        const float baseline = 0.25f;

        var result = new IntegratedGradients(steps: 3, IntegrationRule.LeftRiemann, baseline).Attribute(model, w, r, SaliencyTargets.Predicted);

        var expected = model.Weight.index_select(0, result.Targets) * (cat([w.flatten(1), r], 1) - baseline);
        Assert.True(MaxAbsDifference(result.Attributions, expected) < 1e-5);
    }

    [Fact]
    public void Occlusion_of_a_linear_model_averages_the_logit_drops_of_the_covering_windows()
    {
        using var scope = NewDisposeScope();
        var model = new LinearModel(Length, Rhythm, seed: 11);
        var (w, r) = Random(3, Length, Rhythm, seed: 12);
        var occlusion = new Occlusion(window: 7, stride: 5, baseline: 0.5f, maxRowsPerPass: 7);

        var result = occlusion.Attribute(model, w, r, SaliencyTargets.Predicted);

        // For a linear model the drop of a window is the sum of weight x (value - baseline) inside it.
        var contribution = Doubles(model.Weight.index_select(0, result.Targets) * (cat([w.flatten(1), r], 1) - 0.5f));
        var starts = occlusion.WindowStarts(Length);
        Assert.Equal(Length - 7, starts[^1]);
        var actual = Doubles(result.Attributions);
        for (var b = 0; b < 3; b++)
        {
            var row = contribution[(b * (Length + Rhythm))..((b + 1) * (Length + Rhythm))];
            for (var t = 0; t < Length; t++)
            {
                var covering = starts.Where(s => s <= t && t < s + 7).ToList();
                var expected = covering.Average(s => row[s..(s + 7)].Sum());
                Assert.Equal(expected, actual[b * (Length + Rhythm) + t], 4);
            }
            for (var i = 0; i < Rhythm; i++) Assert.Equal(row[Length + i], actual[b * (Length + Rhythm) + Length + i], 4);
        }
    }

    [Fact]
    public void Grad_cam_of_a_linear_model_has_its_closed_form()
    {
        using var scope = NewDisposeScope();
        var model = new LinearModel(Length, Rhythm, seed: 13);
        var (w, r) = Random(4, Length, Rhythm, seed: 14);

        var result = new GradCam1d().Attribute(model, w, r, SaliencyTargets.Predicted);

        // Features are the waveform (one channel, T = L): weight = mean waveform weight, map = ReLU(weight x value);
        // rhythm: ReLU(gradient x value).
        var weights = model.Weight.index_select(0, result.Targets);
        var waveWeights = weights.narrow(1, 0, Length);
        var expectedWave = nn.functional.relu(waveWeights.mean([1], keepdim: true) * w.flatten(1));
        var expectedRhythm = nn.functional.relu(weights.narrow(1, Length, Rhythm) * r);
        Assert.True(MaxAbsDifference(result.Attributions, cat([expectedWave, expectedRhythm], 1)) < 1e-6);
    }

    [Fact]
    public void Grad_cam_upsamples_coarse_feature_maps_to_the_window_length()
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(Length, Rhythm, seed: 15);
        var (w, r) = Random(2, Length, Rhythm, seed: 16);

        var result = new GradCam1d().Attribute(model, w, r, SaliencyTargets.Predicted);

        Assert.Equal([2L, Length + Rhythm], result.Attributions.shape);
        Assert.True((result.Attributions >= 0).all().item<bool>(), "Grad-CAM maps are ReLU'd");
        Assert.True(result.Attributions.narrow(1, 0, Length).sum().item<float>() > 0, "the waveform part should not vanish");
    }

    [Fact]
    public void Smooth_grad_without_noise_is_the_vanilla_gradient()
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(Length, Rhythm, seed: 17);
        var (w, r) = Random(5, Length, Rhythm, seed: 18);

        var smooth = new SmoothGrad(samples: 3, noiseLevel: 0, maxRowsPerPass: 5).Attribute(model, w, r, SaliencyTargets.Predicted);
        var vanilla = new VanillaGradient().Attribute(model, w, r, SaliencyTargets.Predicted);

        Assert.True(MaxAbsDifference(smooth.Attributions, vanilla.Attributions) < 1e-6);
    }

    [Fact]
    public void Smooth_grad_noise_changes_the_map_and_is_reproducible()
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(Length, Rhythm, seed: 19);
        var (w, r) = Random(4, Length, Rhythm, seed: 20);
        var method = new SmoothGrad(samples: 8, noiseLevel: 0.2, seed: 3);

        var first = method.Attribute(model, w, r, SaliencyTargets.Predicted).Attributions;
        var second = method.Attribute(model, w, r, SaliencyTargets.Predicted).Attributions;
        var vanilla = new VanillaGradient().Attribute(model, w, r, SaliencyTargets.Predicted).Attributions;
        var otherSeed = new SmoothGrad(samples: 8, noiseLevel: 0.2, seed: 4).Attribute(model, w, r, SaliencyTargets.Predicted).Attributions;

        Assert.Equal(0, MaxAbsDifference(first, second));
        Assert.True(MaxAbsDifference(first, vanilla) > 1e-4);
        Assert.True(MaxAbsDifference(first, otherSeed) > 1e-4);
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void A_batch_gives_the_same_maps_as_one_beat_at_a_time(string name)
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(Length, Rhythm, seed: 21);
        var method = SaliencyMethods.Create(name, Quick);
        const int batch = 5;
        var (w, r) = Random(batch, Length, Rhythm, seed: 22);

        var together = method.Attribute(model, w, r, SaliencyTargets.Predicted);
        for (var b = 0; b < batch; b++)
        {
            var alone = method.Attribute(model, w.narrow(0, b, 1), r.narrow(0, b, 1), SaliencyTargets.Predicted);
            Assert.Equal(together.Targets[b].item<long>(), alone.Targets[0].item<long>());
            var scale = Math.Max(1e-3, alone.Attributions.abs().max().item<float>());
            var difference = MaxAbsDifference(together.Attributions.narrow(0, b, 1), alone.Attributions);
            Assert.True(difference <= 1e-5 * scale, $"{name}, beat {b}: batch and single maps differ by {difference} (scale {scale})");
        }
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Frozen_and_trainable_weights_give_the_same_map(string name)
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(Length, Rhythm, seed: 23);
        var method = SaliencyMethods.Create(name, Quick);
        var (w, r) = Random(4, Length, Rhythm, seed: 24);

        var trainable = method.Attribute(model, w, r, SaliencyTargets.Predicted).Attributions;
        foreach (var p in model.parameters()) p.requires_grad = false;
        var frozen = method.Attribute(model, w, r, SaliencyTargets.Predicted).Attributions;

        Assert.True(MaxAbsDifference(trainable, frozen) < 1e-6, $"{name}: maps differ by {MaxAbsDifference(trainable, frozen)}");
        Assert.All(model.parameters(), p => Assert.True(p.grad is null, "saliency must not leave weight gradients behind"));
    }

    [Fact]
    public void Reference_targets_explain_the_given_class_not_the_predicted_one()
    {
        using var scope = NewDisposeScope();
        var model = new LinearModel(Length, Rhythm, seed: 25);
        var (w, r) = Random(4, Length, Rhythm, seed: 26);
        var predicted = new VanillaGradient().Attribute(model, w, r, SaliencyTargets.Predicted).Targets;
        var other = (predicted + 1) % BeatClassifier.ClassCount;

        var result = new VanillaGradient().Attribute(model, w, r, new SaliencyTargets(SaliencyTarget.Reference, other));

        Assert.Equal(Doubles(other), Doubles(result.Targets));
        // The gradient of a linear model's logit is that class's weight row.
        Assert.True(MaxAbsDifference(result.Attributions, model.Weight.index_select(0, other)) < 1e-6);
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Normalised_maps_lie_in_zero_one_with_a_peak_of_one_per_beat(string name)
    {
        using var scope = NewDisposeScope();
        var model = new TinyCnn(Length, Rhythm, seed: 27);
        var (w, r) = Random(4, Length, Rhythm, seed: 28);

        var maps = SaliencyMaps.NormalizePerBeat(SaliencyMethods.Create(name, Quick).Attribute(model, w, r, SaliencyTargets.Predicted).Attributions);

        Assert.True((maps >= 0).all().item<bool>() && (maps <= 1).all().item<bool>(), $"{name}: values outside [0, 1]");
        Assert.Equal([1f, 1f, 1f, 1f], Floats(maps.amax([1])));
    }

    [Fact]
    public void Normalisation_divides_absolute_values_by_the_beat_maximum_and_keeps_zero_maps_zero()
    {
        using var scope = NewDisposeScope();
        var raw = tensor(new float[] { -4, 2, 1, 0, 0, 0, 0.5f, -0.25f, 0 }, [3, 3]);

        var maps = Floats(SaliencyMaps.NormalizePerBeat(raw));

        Assert.Equal([1f, 0.5f, 0.25f, 0, 0, 0, 1f, 0.5f, 0], maps);
    }

    [Fact]
    public void The_factory_knows_every_method_by_name_case_insensitively()
    {
        foreach (var name in SaliencyMethods.Names)
        {
            Assert.Equal(name, SaliencyMethods.Create(name).Name);
            Assert.Equal(name, SaliencyMethods.Create($" {name.ToUpperInvariant()} ").Name);
        }
        Assert.Equal(["vanilla", "gradxinput", "smoothgrad", "ig", "occlusion", "gradcam"], SaliencyMethods.Names);
    }

    [Fact]
    public void An_unknown_method_name_is_rejected_with_the_known_names()
    {
        var error = Assert.Throws<ArgumentException>(() => SaliencyMethods.Create("lime"));
        Assert.Contains("'lime'", error.Message);
        Assert.Contains("vanilla, gradxinput, smoothgrad, ig, occlusion, gradcam", error.Message);
    }

    [Fact]
    public void Method_settings_out_of_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmoothGrad(samples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmoothGrad(noiseLevel: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegratedGradients(steps: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegratedGradients(baseline: float.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Occlusion(window: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Occlusion(stride: 0));
    }

    [Theory]
    [InlineData(IntegrationRule.LeftRiemann, 4)]
    [InlineData(IntegrationRule.RightRiemann, 4)]
    [InlineData(IntegrationRule.MidpointRiemann, 4)]
    [InlineData(IntegrationRule.Trapezoid, 5)]
    public void Quadrature_weights_sum_to_one(IntegrationRule rule, int points)
    {
        var (alphas, weights) = new IntegratedGradients(steps: 4, rule).Quadrature();

        Assert.Equal(points, alphas.Length);
        Assert.Equal(1.0, weights.Sum(), 12);
        Assert.All(alphas, a => Assert.InRange(a, 0, 1));
    }
}
