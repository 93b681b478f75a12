using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Training;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Tests;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests;

public sealed class FeatureStandardisationTests : IDisposable
{
    private readonly string directory = TestData.NewTempDirectory("standardise");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Fitted_on_a_beat_set_it_gives_its_features_mean_zero_and_spread_one()
    {
        var random = new Random(5);
        // Five features of different centres and spreads, and a constant one.
        var beats = SyntheticBeats.Make(30, 187, seed: 5)
            .Select(b => b with { Rhythm = [.. Enumerable.Range(0, 5).Select(f => (float)(f + (f + 1) * random.NextDouble())), 0.25f] })
            .ToList();
        var set = BeatSet.FromBeats(beats, 187, RhythmFeatures.Count);

        var fitted = set.FeatureStandardisation();

        Assert.Equal(1f, fitted.Scale[5]);
        Assert.Equal(0.25f, fitted.Mean[5], 6);
        using var scope = NewDisposeScope();
        var (_, rhythm, _) = set.Batch([.. Enumerable.Range(0, set.Count)]);
        var z = (rhythm - tensor(fitted.Mean.ToArray())) / tensor(fitted.Scale.ToArray());
        for (var f = 0; f < 5; f++)
        {
            Assert.Equal(0, z[.., f].mean().item<float>(), 4);
            Assert.Equal(1, z[.., f].std(unbiased: false).item<float>(), 3);
        }
    }

    private static FeatureStandardisation Some(int features, float scale = 0.5f) =>
        new([.. Enumerable.Range(0, features).Select(i => 1f + i)], [.. Enumerable.Repeat(scale, features)]);

    [Theory]
    [InlineData("kachuee")]
    [InlineData("resnet")]
    public void A_standardising_model_is_the_plain_model_fed_standardised_features(string architecture)
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var model = ModelFactory.Create(architecture, 256, 4);
        model.eval();
        var waveform = randn(3, 1, 256);
        var rhythm = rand(3, 4) + 0.5;
        var plainOnStandardised = model.forward(waveform, (rhythm - tensor(Some(4).Mean.ToArray())) / 0.5);

        model.Standardisation = Some(4);

        Assert.True(allclose(plainOnStandardised, model.forward(waveform, rhythm), rtol: 1e-5, atol: 1e-6));
        Assert.Contains("3 means and 3 scales for 4 features", Assert.Throws<ArgumentException>(() => model.Standardisation = Some(3)).Message);
        Assert.Contains("not a positive number", Assert.Throws<ArgumentException>(() => model.Standardisation = Some(4, scale: 0)).Message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Training_with_the_option_fits_it_on_the_training_beats_and_the_checkpoint_keeps_it()
    {
        var training = BeatSet.FromBeats(SyntheticBeats.Make(40, 187, seed: 1), 187, RhythmFeatures.RrCount);
        var validation = BeatSet.FromBeats(SyntheticBeats.Make(10, 187, seed: 2), 187, RhythmFeatures.RrCount);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 32, Seed = 7, Threads = 2, WeightAverageDecay = 0.9, StandardiseFeatures = true };

        using var model = Trainer.Train("kachuee", training, validation, options).Model;

        Assert.True(FeatureStandardisation.Same(training.FeatureStandardisation(), model.Standardisation));
        using var plain = Trainer.Train("kachuee", training, validation, options with { StandardiseFeatures = false }).Model;
        Assert.Null(plain.Standardisation);

        var path = Path.Combine(directory, "standardised.ckpt");
        var metadata = new CheckpointMetadata
        {
            Architecture = "kachuee", Representation = "kachuee", WaveformLength = 187, RhythmFeatureCount = 4,
            RhythmFeatureNames = RhythmFeatures.NamesOf(4), Classes = [.. Aami.Classes.Select(c => c.ToString())], Protocol = "inter",
        };
        Assert.Contains("standardisation", Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, model, metadata)).Message);
        Checkpoint.Save(path, model, metadata with { FeatureStandardisation = model.Standardisation });
        var loaded = Checkpoint.Load(path);
        using var copy = loaded.Model;
        Assert.True(FeatureStandardisation.Same(model.Standardisation, copy.Standardisation));
        using var scope = NewDisposeScope();
        var (w, r, _) = validation.Batch([0, 1, 2]);
        Assert.Equal(0f, (model.forward(w, r) - copy.forward(w, r)).abs().max().item<float>());
    }

    [Fact]
    public void Ensemble_members_must_standardise_alike_and_the_ensemble_applies_each_member_s()
    {
        manual_seed(3);
        var first = ModelFactory.Create("kachuee", 187, 4);
        var second = ModelFactory.Create("kachuee", 187, 4);
        first.Standardisation = Some(4);
        Assert.Contains("member 2 standardises its features otherwise", Assert.Throws<ArgumentException>(() => new BeatEnsemble([first, second])).Message);

        second.Standardisation = Some(4);
        using var ensemble = new BeatEnsemble([first, second]);
        Assert.True(FeatureStandardisation.Same(Some(4), ensemble.Standardisation));
        ensemble.Standardisation = null;
        Assert.Null(first.Standardisation);
        Assert.Null(second.Standardisation);
    }
}
