using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Training;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Synthetic;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.Ml.Tests.Training;

/// <summary><see cref="TrainingRun"/>: from beats (or a folder of records) to a checkpoint that says what it is.</summary>
public sealed class TrainingRunTests : IDisposable
{
    private const int Length = 187;
    private readonly string _folder = TestData.NewTempDirectory("training-run");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TrainingPlan Plan(AamiClass? calibrate = null) => new()
    {
        Architecture = "kachuee",
        Representation = BeatRepresentation.Kachuee,
        RhythmFeatureCount = RhythmFeatures.RrCount,
        Options = new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 5, Threads = 1, Patience = 0 },
        CalibrateClass = calibrate,
        Command = "ecg train --test",
    };

    private static BeatSet Beats(int perClass, int seed, params string[] records) =>
        BeatSet.FromBeats(SyntheticBeats.Make(perClass, Length, seed, records), Length, RhythmFeatures.RrCount);

    private static ProtocolSplit Split() => new(SplitProtocol.Inter,
        Beats(30, seed: 1, "101", "106"), Beats(10, seed: 2, "119"), Beats(12, seed: 3, "100", "103", "105"),
        ["101", "106"], ["119"], ["100", "103", "105"]);

    private static long[] Flat(EvaluationResult result) => [.. result.ConfusionRows.SelectMany(r => r)];

    [Fact]
    public void A_run_saves_a_checkpoint_whose_metadata_and_figures_are_the_trained_models()
    {
        var path = Path.Combine(_folder, "model.ckpt");
        var run = new TrainingRun(Plan(), Split());

        var outcome = run.Run(path);

        var loaded = Checkpoint.Load(path);
        using var model = loaded.Model;
        var m = loaded.Metadata;
        Assert.Equal(("kachuee", "kachuee", Length, RhythmFeatures.RrCount, "inter", 5), (m.Architecture, m.Representation, m.WaveformLength, m.RhythmFeatureCount, m.Protocol, m.Seed));
        Assert.Equal(["101", "106"], m.TrainingRecords);
        Assert.Equal(["119"], m.ValidationRecords);
        Assert.Equal(["100", "103", "105"], m.TestRecords);
        Assert.Equal((outcome.EpochsRun, outcome.SelectedEpoch), (m.EpochsRun, m.SelectedEpoch));
        Assert.InRange(m.SelectedEpoch, 1, 3);
        Assert.Equal("ecg train --test", m.Training["command"]);
        Assert.Equal("150", m.Training["trainingBeats"]);
        Assert.Equal("3", m.Training["epochs"]);
        Assert.Empty(m.DecisionBias);
        Assert.Null(outcome.Calibration);
        // The test figures are what the saved model scores on the test beats, as a whole and record by record.
        var split = run.Split;
        Assert.Equal(Flat(Evaluator.Evaluate(model, split.Test)), Flat(m.Test!));
        Assert.Equal(Flat(outcome.Test), Flat(m.Test!));
        Assert.Equal(Flat(outcome.Validation), Flat(m.Validation!));
        Assert.Equal(["100", "103", "105"], m.TestConfusionByRecord.Keys.Order());
        var byRecord = Evaluator.ConfusionByRecord(split.Test, Evaluator.Predict(model, split.Test));
        Assert.All(byRecord, kv => Assert.Equal(kv.Value.ToRows(), m.TestConfusionByRecord[kv.Key]));
    }

    [Fact]
    public void The_same_plan_trains_the_same_weights()
    {
        var first = new TrainingRun(Plan(), Split()).Run(Path.Combine(_folder, "a.ckpt"));
        var second = new TrainingRun(Plan(), Split()).Run(Path.Combine(_folder, "b.ckpt"));
        var reseeded = new TrainingRun(Plan() with { Options = Plan().Options with { Seed = 6 } }, Split()).Run(Path.Combine(_folder, "c.ckpt"));

        Assert.Equal(WeightsOf("a.ckpt"), WeightsOf("b.ckpt"));
        Assert.NotEqual(WeightsOf("a.ckpt"), WeightsOf("c.ckpt"));
        Assert.Equal(Flat(first.Test), Flat(second.Test));
        Assert.Equal(6, reseeded.Metadata.Seed);
    }

    private string WeightsOf(string file)
    {
        var loaded = Checkpoint.Load(Path.Combine(_folder, file));
        loaded.Model.Dispose();
        return loaded.Metadata.WeightsSha256;
    }

    [Fact]
    public void Calibrating_after_training_saves_the_chosen_bias_and_the_figures_under_it()
    {
        var path = Path.Combine(_folder, "calibrated.ckpt");

        var outcome = new TrainingRun(Plan(AamiClass.V), Split()).Run(path);

        var calibration = Assert.IsType<Calibration>(outcome.Calibration);
        var loaded = Checkpoint.Load(path);
        using var model = loaded.Model;
        Assert.Equal(calibration.Choice.Bias, loaded.Metadata.DecisionBias);
        Assert.Equal(calibration.Choice.Bias, model.DecisionBias);
        Assert.Equal(Flat(calibration.TestAfter), Flat(loaded.Metadata.Test!));
        Assert.Equal(Flat(Evaluator.Evaluate(model, Split().Test)), Flat(loaded.Metadata.Test!));
        Assert.Equal(Flat(calibration.TestBefore), Flat(outcome.Test));
        Assert.Equal(DecisionBiasCalibration.Rule(AamiClass.V), loaded.Metadata.Training["calibrationRule"]);
        Assert.Equal("ecg train --test", loaded.Metadata.Training["calibrationCommand"]);
    }

    [Fact]
    public void A_folder_of_DS1_and_DS2_records_is_read_and_split_by_the_protocol()
    {
        // Short synthetic records under the MIT-BIH names: the protocol reads records by name.
        var names = DatasetSplits.Ds1.Concat(DatasetSplits.Ds2).ToList();
        for (var i = 0; i < names.Count; i++)
            WfdbWriter.Write(_folder, SyntheticEcg.Generate(SyntheticEcg.RecordOptions(seed: 4, i), names[i], seconds: 20));
        var plan = Plan() with { ValidationRecords = ["119", "223"] };

        var run = TrainingRun.Load(_folder, plan);

        Assert.Equal(DatasetSplits.Ds1.Except(["119", "223"]), run.Split.TrainingRecords);
        Assert.Equal(["119", "223"], run.Split.ValidationRecords);
        Assert.Equal(DatasetSplits.Ds2, run.Split.TestRecords);
        Assert.Equal(["119", "223"], run.Split.Validation.Records.Distinct().Order());
        Assert.Equal(DatasetSplits.Ds2.Order(), run.Split.Test.Records.Distinct().Order());
        var cut = names.Sum(n => RecordBeats.Extract(WfdbRecord.Read(_folder, n), BeatRepresentation.Kachuee).Count);
        Assert.True(cut > names.Count * 15, $"{cut} beats in {names.Count} records of 20 s");
        Assert.Equal(cut, run.Split.Training.Count + run.Split.Validation.Count + run.Split.Test.Count);
        Assert.Equal(Length, run.Split.Training.Length);
    }

    [Fact]
    public void A_bad_plan_is_refused_before_any_record_is_read()
    {
        var missing = Path.Combine(_folder, "no-such-folder");

        var architecture = Assert.Throws<ArgumentException>(() => TrainingRun.Load(missing, Plan() with { Architecture = "lstm" }));
        var features = Assert.Throws<ArgumentException>(() => TrainingRun.Load(missing, Plan() with { RhythmFeatureCount = 3 }));
        var epochs = Assert.ThrowsAny<ArgumentException>(() => TrainingRun.Load(missing, Plan() with { Options = Plan().Options with { Epochs = 0 } }));

        Assert.Contains("unknown model architecture 'lstm'", architecture.Message);
        Assert.Contains("3 beat features", features.Message);
        Assert.Contains("Epochs", epochs.Message);
        Assert.Throws<ArgumentException>(() => new TrainingRun(Plan() with { RhythmFeatureCount = 0 }, Split()));
    }

    [Fact]
    public void Validation_records_outside_DS1_are_refused()
    {
        var names = DatasetSplits.Ds1.Concat(DatasetSplits.Ds2).ToList();
        for (var i = 0; i < names.Count; i++)
            WfdbWriter.Write(_folder, SyntheticEcg.Generate(SyntheticEcg.RecordOptions(seed: 4, i), names[i], seconds: 12));

        var e = Assert.Throws<ArgumentException>(() => TrainingRun.Load(_folder, Plan() with { ValidationRecords = ["100"] }));

        Assert.Contains("validation records must come from DS1", e.Message);
    }
}
