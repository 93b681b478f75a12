using EcgOrleans.Ml.Faithfulness;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Faithfulness;

public sealed class WaveformFaithfulnessTests
{
    private const int Length = 32;
    private const int Relevant = 8;

    /// <summary>
    /// A hand-made model whose relevance is known: class 0's logit is Gain × the sum of the first <see cref="Relevant"/>
    /// samples, the other samples count for nothing, and the standardised first feature pushes class 1 (so a feature
    /// away from its mean would change every curve). Standardisation: mean (0.7, 1.3), spread 0.1.
    /// </summary>
    private sealed class KnownRelevanceModel : BeatClassifier
    {
        public const float Gain = 1;

        public KnownRelevanceModel() : base(nameof(KnownRelevanceModel), Length, 2) =>
            Standardisation = new FeatureStandardisation([0.7f, 1.3f], [0.1f, 0.1f]);

        public override (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor waveform, Tensor rhythm)
        {
            var evidence = waveform.flatten(1).narrow(1, 0, Relevant).sum([1], keepdim: true).mul(Gain);
            var feature = Standardised(rhythm).narrow(1, 0, 1);
            var zeros = zeros_like(evidence);
            return (cat([evidence, feature, zeros, zeros, zeros], 1), waveform);
        }
    }

    /// <summary>A "method" that returns a fixed relevance per sample (the truth, or its reverse).</summary>
    private sealed class FixedRelevance(string name, Func<int, float> relevance) : ISaliencyMethod
    {
        public string Name => name;

        public SaliencyResult Attribute(BeatClassifier model, Tensor waveform, Tensor rhythm, SaliencyTargets targets)
        {
            Tensor logits;
            using (no_grad()) logits = model.forward(waveform, rhythm);
            var batch = waveform.shape[0];
            var row = Enumerable.Range(0, Length + (int)rhythm.shape[1]).Select(i => i < Length ? relevance(i) : 0f).ToArray();
            return new SaliencyResult(logits, targets.Resolve(model, logits), tensor(row).unsqueeze(0).expand(batch, -1).contiguous());
        }
    }

    /// <summary>Beats with 1 on the relevant samples and small noise elsewhere; features far from their means.</summary>
    private static (Tensor Waveform, Tensor Rhythm, Tensor Targets) Beats(int count)
    {
        var random = new Random(7);
        var w = new float[count * Length];
        for (var b = 0; b < count; b++)
            for (var i = 0; i < Length; i++) w[b * Length + i] = i < Relevant ? 1 : (float)(0.1 * (random.NextDouble() - 0.5));
        var r = Enumerable.Range(0, count * 2).Select(_ => 3f).ToArray();
        return (tensor(w, [count, 1, Length]), tensor(r, [count, 2]), zeros(count, dtype: ScalarType.Int64));
    }

    private static readonly FixedRelevance Truth = new("truth", i => i < Relevant ? Relevant - i : 0);
    private static readonly FixedRelevance Reverse = new("reverse", i => i < Relevant ? 0 : i);

    [Fact]
    public void Deleting_and_inserting_in_the_true_order_beat_random_order_and_the_reverse_order_loses()
    {
        using var scope = NewDisposeScope();
        var model = new KnownRelevanceModel();
        var (w, r, targets) = Beats(12);
        var options = new WaveformFaithfulnessOptions(Steps: 16, Seed: 3);

        var truth = WaveformFaithfulness.Run(model, Truth, w, r, targets, options);
        var reverse = WaveformFaithfulness.Run(model, Reverse, w, r, targets, options);

        double Mean(double[] areas) => areas.Average();
        var (deleteTruth, deleteRandom, deleteReverse) =
            (Mean(truth.Areas(truth.DeletionBySaliency)), Mean(truth.Areas(truth.DeletionByRandom)), Mean(reverse.Areas(reverse.DeletionBySaliency)));
        var (insertTruth, insertRandom, insertReverse) =
            (Mean(truth.Areas(truth.InsertionBySaliency)), Mean(truth.Areas(truth.InsertionByRandom)), Mean(reverse.Areas(reverse.InsertionBySaliency)));
        // p(f) = σ(8·(relevant samples left) − ln 4). Random order removes the evidence evenly: area ≈ ∫σ(8u − ln 4)du
        // = 0.80; the true order removes it all within the first quarter: ≈ 0.25 · 0.80 + 0.75 · 0.2 = 0.35; the reverse
        // order last: ≈ 0.75 · 1 + 0.25 · 0.80 = 0.95. Insertion mirrors it (0.95, 0.80, 0.35). The margins asserted
        // (0.3 and 0.1) leave room for one random permutation per beat over 12 beats (about ±0.02).
        Assert.True(deleteTruth < deleteRandom - 0.3, $"deletion: truth {deleteTruth:F3}, random {deleteRandom:F3}");
        Assert.True(deleteReverse > deleteRandom + 0.1, $"deletion: reverse {deleteReverse:F3}, random {deleteRandom:F3}");
        Assert.True(insertTruth > insertRandom + 0.1, $"insertion: truth {insertTruth:F3}, random {insertRandom:F3}");
        Assert.True(insertReverse < insertRandom - 0.3, $"insertion: reverse {insertReverse:F3}, random {insertRandom:F3}");
        // Random order does not depend on the map.
        Assert.Equal(truth.DeletionByRandom, reverse.DeletionByRandom);
    }

    [Fact]
    public void Curves_run_from_the_whole_waveform_to_the_baseline_with_the_features_at_their_training_means()
    {
        using var scope = NewDisposeScope();
        var model = new KnownRelevanceModel();
        var (w, r, targets) = Beats(3);

        var curves = WaveformFaithfulness.Run(model, Truth, w, r, targets, new WaveformFaithfulnessOptions(Steps: 4, Baseline: 0));

        // Features at their means standardise to 0: class 1's logit is 0, so p(class 0) depends on the waveform only.
        var full = Softmax0(KnownRelevanceModel.Gain * Relevant);
        var empty = Softmax0(0);
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], curves.Fractions);
        // float32 softmax: within a few ulps of 1 (1e-6) of the double value.
        foreach (var b in Enumerable.Range(0, 3))
        {
            Assert.Equal(full, curves.DeletionBySaliency[b][0], 6);
            Assert.Equal(empty, curves.DeletionBySaliency[b][^1], 6);
            Assert.Equal(empty, curves.InsertionBySaliency[b][0], 6);
            Assert.Equal(full, curves.InsertionBySaliency[b][^1], 6);
            // The true order has removed all 8 relevant samples by fraction 1/4 (8 of 32 samples).
            Assert.Equal(empty, curves.DeletionBySaliency[b][1], 6);
        }
        Assert.Equal(Length, curves.WaveformRelevance[0].Length);
        Assert.Equal(Relevant, curves.WaveformRelevance[0][0]);
    }

    [Fact]
    public void Neutral_features_are_the_standardisation_means_or_the_beats_mean_without_one()
    {
        using var scope = NewDisposeScope();
        var rhythm = tensor(new float[] { 1, 2, 3, 6 }, [2, 2]);
        var neutral = WaveformFaithfulness.NeutralFeatures(new KnownRelevanceModel(), rhythm);
        Assert.Equal([0.7f, 1.3f, 0.7f, 1.3f], neutral.data<float>().ToArray());

        var plain = new Saliency.TinyCnn(16, 2, seed: 1);
        Assert.Equal([2f, 4f, 2f, 4f], WaveformFaithfulness.NeutralFeatures(plain, rhythm).data<float>().ToArray());
    }

    private static double Softmax0(double logit) => Math.Exp(logit) / (Math.Exp(logit) + 4);
}
