using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using static EcgOrleans.Ml.Tests.Saliency.TestInputs;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Saliency;

public sealed class BeatScorerTests
{
    private const int Length = 32;
    private const int Rhythm = 4;

    public static TheoryData<string> MethodNames() => [.. SaliencyMethods.Names];

    private static (float[] Waveforms, float[] Rhythm) Batch(int count, int seed, int length = Length)
    {
        var (w, r) = Random(count, length, Rhythm, seed);
        return (Floats(w), Floats(r));
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Scores_give_probabilities_predictions_and_normalised_maps(string name)
    {
        var method = SaliencyMethods.Create(name, SaliencyMethodTests.Quick);
        var scorer = new BeatScorer(new TinyCnn(Length, Rhythm, seed: 31, gain: 5), method);
        var (waveforms, rhythm) = Batch(6, seed: 32);

        var scored = scorer.Score(waveforms, rhythm);

        Assert.Equal(6, scored.Count);
        Assert.Equal(6 * 5, scored.Probabilities.Length);
        Assert.Equal(6 * (Length + Rhythm), scored.Saliency.Length);
        for (var b = 0; b < 6; b++)
        {
            var p = scored.ProbabilitiesOf(b).ToArray();
            Assert.Equal(1.0, p.Sum(), 5);
            Assert.Equal((AamiClass)Array.IndexOf(p, p.Max()), scored.Predicted[b]);
            Assert.Equal(scored.Predicted[b], scored.Targets[b]);
            var map = scored.MapOf(b).ToArray();
            Assert.All(map, v => Assert.InRange(v, 0f, 1f));
            Assert.Equal(1f, map.Max());
        }
        Assert.Equal(scored.Probabilities, scorer.Classify(waveforms, rhythm).Probabilities);
    }

    [Theory]
    [InlineData("vanilla", SaliencyTarget.Predicted)]
    [InlineData("ig", SaliencyTarget.Reference)]
    public void Scoring_in_several_passes_gives_what_one_pass_gives(string name, SaliencyTarget target)
    {
        var model = new TinyCnn(Length, Rhythm, seed: 35, gain: 5);
        var (waveforms, rhythm) = Batch(23, seed: 36);
        var references = Enumerable.Range(0, 23).Select(i => (AamiClass?)(AamiClass)(i % 5)).ToArray();
        var onePass = new BeatScorer(model, SaliencyMethods.Create(name, SaliencyMethodTests.Quick), target, rowsPerPass: 64);
        var passesOfAboutFive = new BeatScorer(model, SaliencyMethods.Create(name, SaliencyMethodTests.Quick), target, rowsPerPass: 5);

        var whole = onePass.Score(waveforms, rhythm, references);
        var split = passesOfAboutFive.Score(waveforms, rhythm, references);

        Assert.Equal(whole.Predicted, split.Predicted);
        Assert.Equal(whole.Targets, split.Targets);
        Assert.Equal(23 * 5, split.Probabilities.Length);
        Assert.Equal(23 * (Length + Rhythm), split.Saliency.Length);
        for (var i = 0; i < whole.Probabilities.Length; i++) Assert.Equal(whole.Probabilities[i], split.Probabilities[i], 1e-6f);
        for (var i = 0; i < whole.Saliency.Length; i++) Assert.Equal(whole.Saliency[i], split.Saliency[i], 1e-5f);
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Scoring_leaves_no_tensor_for_the_finalizer(string name)
    {
        var scorer = new BeatScorer(new TinyCnn(Length, Rhythm, seed: 38, gain: 5), SaliencyMethods.Create(name, SaliencyMethodTests.Quick), rowsPerPass: 4);
        var (waveforms, rhythm) = Batch(10, seed: 39);
        scorer.Score(waveforms, rhythm);
        var statistics = TorchSharp.DisposeScopeManager.Statistics;
        statistics.Reset();

        scorer.Score(waveforms, rhythm);
        scorer.Classify(waveforms, rhythm);

        Assert.True(statistics.CreatedOutsideScopeCount == 0 && statistics.ThreadTotalLiveCount == 0, $"{name}: {statistics}");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 1)]
    [InlineData(95, 1)]
    [InlineData(96, 2)]
    [InlineData(256, 4)]
    [InlineData(259, 4)] // not 4 passes of 64 and a fifth of 3: a pass's fixed cost would buy 3 beats
    [InlineData(288, 5)]
    public void A_batch_is_cut_into_the_nearest_whole_number_of_passes(int beats, int passes) =>
        Assert.Equal(passes, new BeatScorer(new TinyCnn(Length, Rhythm, seed: 37), new VanillaGradient()).PassCount(beats));

    [Fact]
    public void A_pass_size_below_one_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BeatScorer(new TinyCnn(Length, Rhythm, seed: 37), new VanillaGradient(), rowsPerPass: 0));

    [Fact]
    public void Scores_are_the_method_maps_normalised_per_beat()
    {
        var model = new TinyCnn(Length, Rhythm, seed: 33);
        var scorer = new BeatScorer(model, new VanillaGradient());
        var (waveforms, rhythm) = Batch(4, seed: 34);

        var scored = scorer.Score(waveforms, rhythm);

        using var scope = NewDisposeScope();
        var direct = new VanillaGradient().Attribute(model, tensor(waveforms, [4, 1, Length]), tensor(rhythm, [4, Rhythm]), SaliencyTargets.Predicted);
        var expected = Floats(SaliencyMaps.NormalizePerBeat(direct.Attributions));
        Assert.Equal(expected.Length, scored.Saliency.Length);
        Assert.True(expected.Zip(scored.Saliency, (a, b) => Math.Abs(a - b)).Max() < 1e-6);
    }

    [Fact]
    public void The_scorer_puts_the_model_in_eval_mode_and_freezes_its_weights()
    {
        var model = new TinyCnn(Length, Rhythm, seed: 35);
        model.train();

        _ = new BeatScorer(model, new VanillaGradient());

        Assert.False(model.training);
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void Reference_targets_follow_the_given_labels()
    {
        var scorer = new BeatScorer(new TinyCnn(Length, Rhythm, seed: 36), new VanillaGradient(), SaliencyTarget.Reference);
        var (waveforms, rhythm) = Batch(5, seed: 37);
        AamiClass?[] references = [AamiClass.N, AamiClass.S, AamiClass.V, AamiClass.F, AamiClass.Q];

        var scored = scorer.Score(waveforms, rhythm, references);

        Assert.Equal(references.Select(r => r!.Value), scored.Targets);
    }

    [Fact]
    public void Threads_with_their_own_model_instances_score_concurrently_as_they_would_alone()
    {
        var original = new TinyCnn(Length, Rhythm, seed: 38, gain: 5);
        var batches = Enumerable.Range(0, 8).Select(i => Batch(16, seed: 100 + i)).ToArray();
        var expected = batches.Select(b => new BeatScorer(original, new VanillaGradient()).Score(b.Waveforms, b.Rhythm)).ToArray();

        var results = new ScoredBatch[2][];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            var copy = new TinyCnn(Length, Rhythm, seed: 0, gain: 5);
            copy.load_state_dict(original.state_dict());
            var scorer = new BeatScorer(copy, new VanillaGradient());
            results[t] = [.. Enumerable.Range(0, 5).SelectMany(_ => batches).Select(b => scorer.Score(b.Waveforms, b.Rhythm))];
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        foreach (var perThread in results)
        for (var i = 0; i < perThread.Length; i++)
        {
            var reference = expected[i % batches.Length];
            Assert.Equal(reference.Predicted, perThread[i].Predicted);
            Assert.True(reference.Saliency.Zip(perThread[i].Saliency, (a, b) => Math.Abs(a - b)).Max() < 1e-6);
        }
    }

    public static TheoryData<string, string> ArchitecturesAndMethods()
    {
        var data = new TheoryData<string, string>();
        foreach (var architecture in ModelFactory.Architectures)
        foreach (var method in SaliencyMethods.Names)
            data.Add(architecture, method);
        return data;
    }

    [Theory]
    [MemberData(nameof(ArchitecturesAndMethods))]
    public void Every_method_scores_a_batch_of_every_architecture(string architecture, string name)
    {
        var model = ModelFactory.Create(architecture, BeatRepresentation.Kachuee.Length, Rhythm);
        var scorer = new BeatScorer(model, SaliencyMethods.Create(name, SaliencyMethodTests.Quick with { MaxRowsPerPass = 64 }));
        var (waveforms, rhythm) = Batch(3, seed: 39, BeatRepresentation.Kachuee.Length);

        var scored = scorer.Score(waveforms, rhythm);

        Assert.Equal(3 * (BeatRepresentation.Kachuee.Length + Rhythm), scored.Saliency.Length);
        Assert.All(scored.Saliency, v => Assert.True(float.IsFinite(v) && v is >= 0 and <= 1));
    }

    [Fact]
    public void An_empty_batch_is_rejected()
    {
        var scorer = new BeatScorer(new TinyCnn(Length, Rhythm, seed: 40), new VanillaGradient());

        var error = Assert.Throws<ArgumentException>(() => scorer.Score([], []));

        Assert.Contains("empty batch", error.Message);
    }

    [Fact]
    public void A_waveform_array_that_is_not_whole_windows_is_rejected()
    {
        var scorer = new BeatScorer(new TinyCnn(Length, Rhythm, seed: 41), new VanillaGradient());

        var error = Assert.Throws<ArgumentException>(() => scorer.Score(new float[Length * 2 + 3], new float[2 * Rhythm]));

        Assert.Contains($"{Length * 2 + 3} values", error.Message);
        Assert.Contains($"{Length} samples", error.Message);
    }

    [Fact]
    public void A_window_of_another_representation_is_rejected()
    {
        var scorer = new BeatScorer(
            ModelFactory.Create(KachueeCnn.ArchitectureName, BeatRepresentation.Kachuee.Length, RhythmFeatures.Count), new VanillaGradient());

        // One 256-sample window beat is not a whole number of 187-sample beats.
        var error = Assert.Throws<ArgumentException>(() => scorer.Score(new float[BeatRepresentation.Window.Length], new float[RhythmFeatures.Count]));

        Assert.Contains("187 samples", error.Message);
    }

    [Fact]
    public void A_rhythm_array_of_the_wrong_length_is_rejected()
    {
        var scorer = new BeatScorer(new TinyCnn(Length, Rhythm, seed: 42), new VanillaGradient());

        var error = Assert.Throws<ArgumentException>(() => scorer.Score(new float[Length * 3], new float[3 * Rhythm - 1]));

        Assert.Equal("rhythm", error.ParamName);
        Assert.Contains("3 beats need 12", error.Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+infinity")]
    [InlineData(float.NegativeInfinity, "-infinity")]
    public void A_non_finite_waveform_sample_is_rejected_naming_the_beat(float value, string description)
    {
        var scorer = new BeatScorer(new TinyCnn(Length, Rhythm, seed: 43), new VanillaGradient());
        var (waveforms, rhythm) = Batch(4, seed: 44);
        waveforms[2 * Length + 7] = value;

        var error = Assert.Throws<ArgumentException>(() => scorer.Score(waveforms, rhythm));

        Assert.Contains($"beat 2: waveform sample 7 is {description}", error.Message);
    }

    [Fact]
    public void A_non_finite_rhythm_feature_is_rejected_naming_the_beat()
    {
        var scorer = new BeatScorer(new TinyCnn(Length, Rhythm, seed: 45), new VanillaGradient());
        var (waveforms, rhythm) = Batch(4, seed: 46);
        rhythm[3 * Rhythm + 1] = float.NaN;

        var error = Assert.Throws<ArgumentException>(() => scorer.Classify(waveforms, rhythm));

        Assert.Contains("beat 3: rhythm feature 1 is NaN", error.Message);
    }

    [Fact]
    public void Reference_targets_without_references_are_rejected()
    {
        var scorer = new BeatScorer(new TinyCnn(Length, Rhythm, seed: 47), new VanillaGradient(), SaliencyTarget.Reference);
        var (waveforms, rhythm) = Batch(3, seed: 48);

        Assert.Contains("no reference classes were given", Assert.Throws<ArgumentException>(() => scorer.Score(waveforms, rhythm)).Message);
        Assert.Contains("2 reference classes for 3 beats",
            Assert.Throws<ArgumentException>(() => scorer.Score(waveforms, rhythm, [AamiClass.N, AamiClass.V])).Message);
        Assert.Contains("beat 1 has no reference class",
            Assert.Throws<ArgumentException>(() => scorer.Score(waveforms, rhythm, [AamiClass.N, null, AamiClass.V])).Message);
        Assert.Contains("beat 2: 9 is not an AAMI class",
            Assert.Throws<ArgumentException>(() => scorer.Score(waveforms, rhythm, [AamiClass.N, AamiClass.S, (AamiClass)9])).Message);
    }

    [Fact]
    public void Predicted_targets_ignore_missing_references()
    {
        var scorer = new BeatScorer(new TinyCnn(Length, Rhythm, seed: 49), new VanillaGradient());
        var (waveforms, rhythm) = Batch(2, seed: 50);

        var scored = scorer.Score(waveforms, rhythm, [null, AamiClass.V]);

        Assert.Equal(scored.Predicted, scored.Targets);
    }
}
