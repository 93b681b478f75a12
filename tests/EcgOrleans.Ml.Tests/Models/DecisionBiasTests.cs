using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Faithfulness;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Ml.Tests.Saliency;
using EcgOrleans.Signal.Beats;
using static EcgOrleans.Ml.Tests.Saliency.TestInputs;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests;

/// <summary>A model's decision bias reaches every place that turns logits into a class or probabilities.</summary>
public sealed class DecisionBiasTests
{
    private const int Length = 32;
    private const int Rhythm = 4;

    /// <summary>Enough to turn every beat of a TinyCnn into an F beat.</summary>
    private static readonly float[] TowardsF = [0, 0, 0, 100, 0];

    private static (float[] Waveforms, float[] Rhythm) Batch(int count, int seed)
    {
        var (w, r) = Random(count, Length, Rhythm, seed);
        return (Floats(w), Floats(r));
    }

    [Fact]
    public void A_new_model_has_a_zero_bias_and_a_wrong_one_is_refused()
    {
        using var model = new TinyCnn(Length, Rhythm, seed: 70);
        Assert.Equal(new float[5], model.DecisionBias);
        Assert.False(model.HasDecisionBias);
        Assert.Throws<ArgumentException>(() => model.DecisionBias = [1, 2, 3]);
        Assert.Throws<ArgumentException>(() => model.DecisionBias = [0, 0, float.NaN, 0, 0]);
        model.DecisionBias = [0, 0, 0.5f, 0, 0];
        Assert.True(model.HasDecisionBias);
    }

    [Fact]
    public void The_scorer_reports_the_biased_decision_and_its_probabilities()
    {
        using var model = new TinyCnn(Length, Rhythm, seed: 101, gain: 5);
        var (waveforms, rhythm) = Batch(6, seed: 72);
        var raw = new BeatScorer(model, new VanillaGradient()).Classify(waveforms, rhythm);
        Assert.Contains(raw.Predicted, c => c != AamiClass.F);

        model.DecisionBias = TowardsF;
        var scorer = new BeatScorer(model, new VanillaGradient());
        var classified = scorer.Classify(waveforms, rhythm);
        var scored = scorer.Score(waveforms, rhythm);

        Assert.All(classified.Predicted, c => Assert.Equal(AamiClass.F, c));
        Assert.Equal(classified.Predicted, scored.Predicted);
        // The map of "predicted" explains the class reported: F.
        Assert.Equal(classified.Predicted, scored.Targets);
        Assert.Equal(classified.Probabilities, scored.Probabilities);
        for (var b = 0; b < 6; b++) Assert.True(scored.ProbabilitiesOf(b)[(int)AamiClass.F] > 0.999f);
    }

    [Fact]
    public void Probabilities_are_the_softmax_of_logits_plus_bias()
    {
        using var model = new TinyCnn(Length, Rhythm, seed: 73, gain: 2);
        var (waveforms, rhythm) = Batch(4, seed: 74);
        float[] bias = [0.3f, -0.2f, 0.7f, 0, -1];
        model.DecisionBias = bias;

        var classified = new BeatScorer(model, new VanillaGradient()).Classify(waveforms, rhythm);

        using var scope = NewDisposeScope();
        var logits = model.forward(tensor(waveforms, [4, 1, Length]), tensor(rhythm, [4, Rhythm]));
        var expected = Floats(nn.functional.softmax(logits + tensor(bias), 1));
        Assert.True(expected.Zip(classified.Probabilities, (a, b) => Math.Abs(a - b)).Max() < 1e-6);
    }

    [Fact]
    public void The_map_of_the_biased_prediction_is_the_raw_gradient_of_that_class()
    {
        using var model = new TinyCnn(Length, Rhythm, seed: 75, gain: 5);
        var (waveforms, rhythm) = Batch(5, seed: 76);
        AamiClass?[] allF = [.. Enumerable.Repeat<AamiClass?>(AamiClass.F, 5)];
        var explainingF = new BeatScorer(model, new VanillaGradient(), SaliencyTarget.Reference).Score(waveforms, rhythm, allF);

        model.DecisionBias = TowardsF;
        var predicted = new BeatScorer(model, new VanillaGradient()).Score(waveforms, rhythm);

        Assert.Equal(explainingF.Targets, predicted.Targets);
        Assert.True(explainingF.Saliency.Zip(predicted.Saliency, (a, b) => Math.Abs(a - b)).Max() < 1e-6);
    }

    [Fact]
    public void The_same_offset_on_every_class_changes_nothing()
    {
        using var model = new TinyCnn(Length, Rhythm, seed: 77, gain: 5);
        var (waveforms, rhythm) = Batch(6, seed: 78);
        var plain = new BeatScorer(model, new GradientTimesInput()).Score(waveforms, rhythm);

        model.DecisionBias = [2, 2, 2, 2, 2];
        var shifted = new BeatScorer(model, new GradientTimesInput()).Score(waveforms, rhythm);

        Assert.Equal(plain.Predicted, shifted.Predicted);
        Assert.True(plain.Probabilities.Zip(shifted.Probabilities, (a, b) => Math.Abs(a - b)).Max() < 1e-6);
        Assert.True(plain.Saliency.Zip(shifted.Saliency, (a, b) => Math.Abs(a - b)).Max() < 1e-6);
    }

    [Fact]
    public void The_evaluator_decides_with_the_bias_and_agrees_with_the_pure_decision_on_its_logits()
    {
        using var model = new TinyCnn(Length, Rhythm, seed: 79, gain: 5);
        var beats = BeatSet.FromBeats(SyntheticBeats.Make(perClass: 20, Length, seed: 80), Length, RhythmFeatures.RrCount);
        float[] bias = [0, 0.4f, -0.3f, 0.2f, 0];
        var logits = Evaluator.Logits(model, beats, batchSize: 7);
        Assert.Equal(beats.Count * 5, logits.Length);
        Assert.Equal(DecisionBiasCalibration.Predict(logits, new float[5]), Evaluator.Predict(model, beats, batchSize: 7));

        model.DecisionBias = bias;

        Assert.Equal(logits, Evaluator.Logits(model, beats, batchSize: 7));
        Assert.Equal(DecisionBiasCalibration.Predict(logits, bias), Evaluator.Predict(model, beats, batchSize: 7));
        model.DecisionBias = TowardsF;
        Assert.All(Evaluator.Predict(model, beats), c => Assert.Equal(AamiClass.F, c));
    }

    [Fact]
    public void The_deletion_test_follows_the_biased_decision()
    {
        using var scope = NewDisposeScope();
        using var model = new TinyCnn(16, 2, seed: 81, gain: 5);
        var (w, r) = Random(6, 16, 2, seed: 82);
        model.DecisionBias = TowardsF;

        var curves = DeletionTest.Run(model, new VanillaGradient(), w, r, new DeletionOptions(Steps: 4));

        // Target F, with the probability the model reports for it: about 1 before anything is removed.
        Assert.True(curves.SaliencyOrder[0] > 0.999, $"clean target probability {curves.SaliencyOrder[0]}");
    }
}
