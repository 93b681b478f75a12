using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Ml.Tests.Saliency;
using EcgOrleans.Signal.Beats;
using static EcgOrleans.Ml.Tests.Saliency.TestInputs;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests;

public sealed class EnsembleTests
{
    private const int Length = 187;
    private const int Rhythm = 4;

    private static BeatClassifier Kachuee(int seed)
    {
        manual_seed(seed);
        var model = ModelFactory.Create("kachuee", Length, Rhythm);
        model.eval();
        return model;
    }

    public static TheoryData<string> MethodNames() => [.. SaliencyMethods.Names];

    [Fact]
    public void An_ensemble_s_logits_are_its_members_mean_logits_and_its_gradients_their_mean_gradients()
    {
        using var scope = NewDisposeScope();
        var members = new[] { Kachuee(1), Kachuee(2), Kachuee(3) };
        using var ensemble = new BeatEnsemble(members);
        var (waveform, rhythm) = Random(5, Length, Rhythm, seed: 4);

        var expected = stack(members.Select(m => m.forward(waveform, rhythm)).ToArray()).mean([0]);
        Assert.True(allclose(expected, ensemble.forward(waveform, rhythm), rtol: 1e-5, atol: 1e-6));

        // Every member stays in the graph: the gradient of the ensemble's V logit is the mean of theirs.
        static Tensor GradientOfV(BeatClassifier model, Tensor waveform, Tensor rhythm)
        {
            using var grad = enable_grad();
            var w = waveform.detach().requires_grad_();
            var v = model.forward(w, rhythm)[.., (int)AamiClass.V].sum();
            return autograd.grad([v], [w])[0];
        }
        var meanGradient = stack(members.Select(m => GradientOfV(m, waveform, rhythm)).ToArray()).mean([0]);
        Assert.True(allclose(meanGradient, GradientOfV(ensemble, waveform, rhythm), rtol: 1e-4, atol: 1e-7));
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void An_ensemble_of_two_copies_of_a_model_explains_beats_as_that_model_does(string name)
    {
        // Grad-CAM weighs the members' feature maps side by side; with identical members that must change nothing.
        var single = new BeatScorer(Kachuee(7), SaliencyMethods.Create(name, SaliencyMethodTests.Quick));
        var twice = new BeatScorer(new BeatEnsemble([Kachuee(7), Kachuee(7)]), SaliencyMethods.Create(name, SaliencyMethodTests.Quick));
        var (w, r) = Random(4, Length, Rhythm, seed: 8);

        var expected = single.Score(Floats(w), Floats(r));
        var actual = twice.Score(Floats(w), Floats(r));

        Assert.Equal(expected.Predicted, actual.Predicted);
        Assert.True(expected.Probabilities.Zip(actual.Probabilities, (a, b) => Math.Abs(a - b)).Max() < 1e-5);
        Assert.True(expected.Saliency.Zip(actual.Saliency, (a, b) => Math.Abs(a - b)).Max() < 1e-4, $"{name} maps differ");
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void An_ensemble_maps_a_batch_as_it_maps_each_beat_alone(string name)
    {
        var scorer = new BeatScorer(new BeatEnsemble([Kachuee(9), Kachuee(10)]), SaliencyMethods.Create(name, SaliencyMethodTests.Quick));
        var (w, r) = Random(3, Length, Rhythm, seed: 11);
        var waveforms = Floats(w);
        var rhythm = Floats(r);

        var batch = scorer.Score(waveforms, rhythm);

        for (var b = 0; b < 3; b++)
        {
            var alone = scorer.Score(waveforms[(b * Length)..((b + 1) * Length)], rhythm[(b * Rhythm)..((b + 1) * Rhythm)]);
            Assert.Equal(alone.Predicted[0], batch.Predicted[b]);
            var map = batch.MapOf(b).ToArray();
            Assert.True(alone.MapOf(0).ToArray().Zip(map, (x, y) => Math.Abs(x - y)).Max() < 1e-4, $"{name}: beat {b} differs in the batch");
            Assert.All(map, v => Assert.InRange(v, 0f, 1f));
        }
    }

    [Fact]
    public void Members_must_share_architecture_length_and_features_and_carry_no_decision_bias()
    {
        Assert.Contains("2 to 16 models, not 1", Assert.Throws<ArgumentException>(() => new BeatEnsemble([Kachuee(1)])).Message);
        Assert.Contains("member 2 is a resnet model",
            Assert.Throws<ArgumentException>(() => new BeatEnsemble([Kachuee(1), ModelFactory.Create("resnet", Length, Rhythm)])).Message);
        Assert.Contains("with 0 rhythm features",
            Assert.Throws<ArgumentException>(() => new BeatEnsemble([Kachuee(1), ModelFactory.Create("kachuee", Length, 0)])).Message);
        var biased = Kachuee(2);
        biased.DecisionBias = [0, 0, 1, 0, 0];
        Assert.Contains("member 2 carries a decision bias", Assert.Throws<ArgumentException>(() => new BeatEnsemble([Kachuee(1), biased])).Message);
    }

    private static LoadedCheckpoint Trained(int seed, string[]? validation = null, string representation = "kachuee") => new(Kachuee(seed), new CheckpointMetadata
    {
        Architecture = "kachuee",
        Representation = representation,
        WaveformLength = Length,
        RhythmFeatureCount = Rhythm,
        RhythmFeatureNames = RhythmFeatures.NamesOf(Rhythm),
        Classes = [.. Aami.Classes.Select(c => c.ToString())],
        Protocol = "inter",
        TrainingRecords = ["101", "106"],
        ValidationRecords = validation ?? ["119"],
        TestRecords = DatasetSplits.Ds2,
        Seed = seed,
        EpochsRun = 10 + seed,
        SelectedEpoch = seed,
        Training = new Dictionary<string, string> { ["command"] = $"ecg train --seed {seed}" },
        WeightsSha256 = new string((char)('a' + seed), 64),
    });

    [Fact]
    public void Combining_checkpoints_lists_each_member_and_leaves_the_figures_to_be_measured()
    {
        var (model, metadata) = Ensembles.Combine([("runs/s1.ckpt", Trained(1)), ("runs/s2.ckpt", Trained(2)), ("runs/s3.ckpt", Trained(3))]);
        using (model)
        {
            Assert.Equal(3, model.MemberCount);
            Assert.Equal(3, metadata.MemberCount);
            Assert.Equal(["s1.ckpt", "s2.ckpt", "s3.ckpt"], metadata.Ensemble.Select(m => m.Source));
            Assert.Equal([1, 2, 3], metadata.Ensemble.Select(m => m.Seed));
            Assert.Equal("ecg train --seed 2", metadata.Ensemble[1].Command);
            Assert.Equal(new string('b', 64), metadata.Ensemble[0].WeightsSha256);
            Assert.Null(metadata.Test);
            Assert.Equal(["119"], metadata.ValidationRecords);
            Assert.Equal("an ensemble of 3 kachuee models", Checkpoint.Describe(metadata));
        }
    }

    [Fact]
    public void Checkpoints_that_cannot_stand_together_are_refused_with_the_reason()
    {
        string Refusal(params (string, LoadedCheckpoint)[] members) =>
            Assert.Throws<ArgumentException>(() => Ensembles.Combine(members)).Message;

        Assert.Contains("2 to 16 checkpoints, not 1", Refusal(("a", Trained(1))));
        Assert.Contains("b has the same weights as a: an ensemble would count that model twice", Refusal(("a", Trained(1)), ("b", Trained(1))));
        Assert.Contains("b differs from a in validation records (124, not 119)", Refusal(("a", Trained(1)), ("b", Trained(2, ["124"]))));
        Assert.Contains("b differs from a in representation (window, not kachuee)", Refusal(("a", Trained(1)), ("b", Trained(2, representation: "window"))));
        var calibrated = Trained(2);
        Assert.Contains("b carries a decision bias",
            Refusal(("a", Trained(1)), ("b", calibrated with { Metadata = calibrated.Metadata with { DecisionBias = [0, 0, 1, 0, 0] } })));
        var nested = Trained(2);
        Assert.Contains("b is already an ensemble",
            Refusal(("a", Trained(1)), ("b", nested with { Metadata = nested.Metadata with { Ensemble = [new EnsembleMember(), new EnsembleMember()] } })));
    }
}
