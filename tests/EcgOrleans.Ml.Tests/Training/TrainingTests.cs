using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Training;
using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests;

[Trait("Category", "Slow")]
public sealed class TrainingTests
{
    private static (BeatSet Training, BeatSet Validation) Synthetic(int length, bool rhythm) => (
        BeatSet.FromBeats(SyntheticBeats.Make(40, length, seed: 1), length, rhythm ? RhythmFeatures.RrCount : 0),
        BeatSet.FromBeats(SyntheticBeats.Make(10, length, seed: 2), length, rhythm ? RhythmFeatures.RrCount : 0));

    private static byte[] Weights(Models.BeatClassifier model)
    {
        using var stream = new MemoryStream();
        model.save(stream);
        return stream.ToArray();
    }

    [Theory]
    [InlineData("kachuee", ClassBalancing.WeightedLoss, false)]
    [InlineData("resnet", ClassBalancing.Resample, false)]
    [InlineData("kachuee", ClassBalancing.None, false)]
    [InlineData("kachuee", ClassBalancing.WeightedLoss, true)]
    [InlineData("resnet", ClassBalancing.WeightedLoss, true)]
    public void Two_runs_with_the_same_seed_give_identical_weights(string architecture, ClassBalancing balancing, bool augmentAndAverage)
    {
        var (training, validation) = Synthetic(187, rhythm: true);
        var options = new TrainingOptions
        {
            Epochs = 2, BatchSize = 32, Seed = 7, Threads = 2, Balancing = balancing, Patience = 0,
            Augmentation = augmentAndAverage ? BeatAugmentation.For(125, 0.25) : BeatAugmentation.None,
            WeightAverageDecay = augmentAndAverage ? 0.99 : 0,
        };
        using var first = Trainer.Train(architecture, training, validation, options).Model;
        using var second = Trainer.Train(architecture, training, validation, options).Model;
        Assert.Equal(Weights(first), Weights(second));
        using var third = Trainer.Train(architecture, training, validation, options with { Seed = 8 }).Model;
        Assert.NotEqual(Weights(first), Weights(third));
    }

    [Fact]
    public void Training_learns_a_separable_synthetic_set_and_keeps_the_best_epoch()
    {
        var (training, validation) = Synthetic(256, rhythm: false);
        var reports = new List<EpochReport>();
        var progress = new SynchronousProgress(p => { if (p.EpochDone is { } r) reports.Add(r); });
        var result = Trainer.Train("kachuee", training, validation, new TrainingOptions { Epochs = 8, BatchSize = 16, Seed = 3, Threads = 2 }, progress);
        using var model = result.Model;

        Assert.Equal(result.EpochsRun, reports.Count);
        var best = reports.MaxBy(r => r.Score)!;
        Assert.Equal(best.Epoch, result.SelectedEpoch);
        // The model handed back holds the selected epoch's weights, not the last epoch's.
        var again = Evaluator.Evaluate(model, validation);
        Assert.Equal(best.Validation.ConfusionRows.SelectMany(r => r), again.ConfusionRows.SelectMany(r => r));
        Assert.True(again.Accuracy > 0.9, $"validation accuracy {again.Accuracy:P1} on a separable set");
    }

    [Theory]
    [InlineData(ClassBalancing.WeightedLoss)]
    [InlineData(ClassBalancing.Resample)]
    public void Epoch_beats_sets_the_size_of_every_epoch(ClassBalancing balancing)
    {
        var (training, validation) = Synthetic(187, rhythm: false);
        var batches = new List<int>();
        var progress = new SynchronousProgress(p => { if (p.EpochDone is not null) batches.Add(p.Batches); });
        var options = new TrainingOptions { Epochs = 2, BatchSize = 10, EpochBeats = 45, Balancing = balancing, Threads = 1, Patience = 0 };
        using var model = Trainer.Train("kachuee", training, validation, options, progress).Model;
        Assert.Equal([5, 5], batches);
    }

    [Fact]
    public void Weight_averaging_keeps_averaged_weights()
    {
        var (training, validation) = Synthetic(187, rhythm: false);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 5, Threads = 1, Patience = 0 };
        using var raw = Trainer.Train("kachuee", training, validation, options).Model;
        using var averaged = Trainer.Train("kachuee", training, validation, options with { WeightAverageDecay = 0.9 }).Model;
        // An average that forgets at once is the raw weights: the average follows the trained parameters, and is what is kept.
        using var forgetful = Trainer.Train("kachuee", training, validation, options with { WeightAverageDecay = 1e-12 }).Model;
        Assert.NotEqual(Weights(raw), Weights(averaged));
        Assert.Equal(Weights(raw), Weights(forgetful));
    }

    [Fact]
    public void Bad_options_and_empty_sets_are_rejected()
    {
        var (training, validation) = Synthetic(187, rhythm: false);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train("kachuee", training, validation, new TrainingOptions { Epochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train("kachuee", training, validation, new TrainingOptions { LearningRate = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train("kachuee", training, validation, new TrainingOptions { WeightAverageDecay = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Train("kachuee", training, validation, new TrainingOptions { Augmentation = new BeatAugmentation(-1, 0, 0, 0) }));
        var empty = validation.Subset([]);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Train("kachuee", training, empty, new TrainingOptions()));
        Assert.Contains("validation", error.Message);
        Assert.Throws<ArgumentException>(() => Trainer.Train("lstm", training, validation, new TrainingOptions { Epochs = 1 }));
    }

    [Fact]
    public void Class_weights_favour_rare_classes_ignore_absent_ones_and_keep_the_loss_scale()
    {
        int[] counts = [900, 100, 0, 25, 0];
        var weights = Trainer.ClassWeights(counts, strength: 0.5, maxWeight: 50);
        Assert.Equal(3.0, weights[1] / weights[0], 4);
        Assert.Equal(6.0, weights[3] / weights[0], 4);
        Assert.Equal(0, weights[2]);
        Assert.Equal(counts.Sum(), counts.Select((n, c) => n * weights[c]).Sum(), 2);
    }

    [Fact]
    public void Class_weights_are_capped_and_strength_zero_is_no_weighting()
    {
        var full = Trainer.ClassWeights([1000, 10, 500, 0, 1], strength: 1, maxWeight: 50);
        Assert.Equal(50.0, full[1] / full[0], 3);
        Assert.Equal(50.0, full[4] / full[0], 3);
        Assert.Equal(2.0, full[2] / full[0], 3);
        Assert.All(Trainer.ClassWeights([1000, 10, 500, 3, 1], strength: 0, maxWeight: 50), w => Assert.Equal(1f, w, 5));
    }

    [Fact]
    public void Learning_rate_falls_from_the_start_value_to_the_floor()
    {
        var options = new TrainingOptions { Epochs = 11, LearningRate = 1e-3, FinalLearningRateFraction = 0.1 };
        Assert.Equal(1e-3, Trainer.LearningRateAt(options, 1), 12);
        Assert.Equal(1e-4, Trainer.LearningRateAt(options, 11), 12);
        Assert.True(Trainer.LearningRateAt(options, 6) < 1e-3 && Trainer.LearningRateAt(options, 6) > 1e-4);
    }

    [Fact]
    public void Beat_sets_reject_unusable_beats_naming_record_and_sample()
    {
        var beats = SyntheticBeats.Make(2, 187, seed: 1, AamiClass.N);
        beats[1].Waveform[5] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => BeatSet.FromBeats(beats, 187, rhythmCount: 0));
        Assert.Contains($"sample {beats[1].Sample} of record {beats[1].Record}", error.Message);

        var unlabelled = SyntheticBeats.Make(1, 187, seed: 1, AamiClass.N)[0] with { Reference = null };
        Assert.Contains("no reference class", Assert.Throws<ArgumentException>(() => BeatSet.FromBeats([unlabelled], 187, 0)).Message);
        Assert.Contains("expected 256", Assert.Throws<ArgumentException>(() => BeatSet.FromBeats(SyntheticBeats.Make(1, 187, 1, AamiClass.N), 256, 0)).Message);
    }

    [Fact]
    public void Batches_carry_waveform_rhythm_and_labels_in_order()
    {
        var beats = SyntheticBeats.Make(3, 187, seed: 4, AamiClass.N, AamiClass.V);
        var set = BeatSet.FromBeats(beats, 187, RhythmFeatures.Count);
        using var scope = NewDisposeScope();
        var (waveform, rhythm, labels) = set.Batch([4, 0]);
        Assert.Equal([2L, 1L, 187L], waveform.shape);
        Assert.Equal([2L, (long)RhythmFeatures.Count], rhythm.shape);
        Assert.Equal([(long)AamiClass.V, (long)AamiClass.N], labels.data<long>().ToArray());
        Assert.Equal(beats[4].Waveform[17], waveform[0, 0, 17].item<float>());
        Assert.Equal(beats[0].Rhythm[0], rhythm[1, 0].item<float>());
        Assert.Equal(beats[4].Rhythm[5], rhythm[0, 5].item<float>());
    }

    [Fact]
    public void Beat_sets_keep_the_RR_prefix_or_all_features_and_refuse_other_counts()
    {
        var beats = SyntheticBeats.Make(2, 187, seed: 4, AamiClass.N, AamiClass.V);
        var rr = BeatSet.FromBeats(beats, 187, RhythmFeatures.RrCount);
        using var scope = NewDisposeScope();
        var (_, rhythm, _) = rr.Batch([2]);
        Assert.Equal(beats[2].Rhythm.Take(RhythmFeatures.RrCount), rhythm[0].data<float>().ToArray());

        Assert.Throws<ArgumentOutOfRangeException>(() => BeatSet.FromBeats(beats, 187, 5));
        var short_ = beats.Select(b => b with { Rhythm = b.Rhythm[..RhythmFeatures.RrCount] }).ToList();
        Assert.Contains("expected at least 6", Assert.Throws<ArgumentException>(() => BeatSet.FromBeats(short_, 187, RhythmFeatures.Count)).Message);
        // A NaN past the kept prefix does not matter; inside it, it is refused.
        beats[0].Rhythm[5] = float.NaN;
        Assert.Equal(4, BeatSet.FromBeats(beats, 187, RhythmFeatures.RrCount).Count);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => BeatSet.FromBeats(beats, 187, RhythmFeatures.Count)).Message);
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> onReport) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => onReport(value);
    }
}
