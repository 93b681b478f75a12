using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Evaluation;

/// <summary><see cref="Calibration"/>: a model's decision bias chosen on validation beats, and its figures before and after.</summary>
public sealed class CalibrationTests
{
    private const int Length = 187;

    private static BeatSet Beats(int perClass, int seed, params string[] records) =>
        BeatSet.FromBeats(SyntheticBeats.Make(perClass, Length, seed, records), Length, RhythmFeatures.RrCount);

    private static ProtocolSplit Split(BeatSet test) => new(SplitProtocol.Inter,
        Beats(20, seed: 1, "101", "106"), Beats(30, seed: 2, "119", "124"), test, ["101", "106"], ["119", "124"], ["100", "103"]);

    /// <summary>An untrained model: its decisions are poor, so a bias has something to change.</summary>
    private static BeatClassifier Model()
    {
        manual_seed(11);
        return ModelFactory.Create("kachuee", Length, RhythmFeatures.RrCount);
    }

    private static long[] Flat(EvaluationResult result) => [.. result.ConfusionRows.SelectMany(r => r)];

    [Fact]
    public void The_model_takes_the_chosen_bias_and_the_figures_after_are_its_own()
    {
        var split = Split(Beats(25, seed: 3, "100", "103"));
        using var model = Model();
        var validationBefore = Evaluator.Evaluate(model, split.Validation);
        var testBefore = Evaluator.Evaluate(model, split.Test);

        var calibration = Calibration.Run(model, split, AamiClass.V);

        Assert.Equal(calibration.Choice.Bias, model.DecisionBias);
        Assert.Equal(AamiClass.V, calibration.Choice.Class);
        Assert.Equal(Flat(validationBefore), Flat(calibration.ValidationBefore));
        Assert.Equal(Flat(testBefore), Flat(calibration.TestBefore));
        // After: what the model now decides, beat by beat.
        Assert.Equal(Flat(Evaluator.Evaluate(model, split.Validation)), Flat(calibration.ValidationAfter));
        Assert.Equal(Evaluator.Predict(model, split.Test), calibration.TestPredicted);
        Assert.Equal(Flat(Evaluator.Evaluate(model, split.Test)), Flat(calibration.TestAfter));
        // The offset is the best on the grid for V's min(Se, +P) on the validation beats, never worse than none.
        Assert.True(calibration.Choice.Score >= calibration.Choice.StartingScore);
        Assert.Equal(calibration.Choice.Score, DecisionBiasCalibration.Score(calibration.ValidationAfter.Confusion(), AamiClass.V));
        Assert.Equal(calibration.Choice.StartingScore, DecisionBiasCalibration.Score(validationBefore.Confusion(), AamiClass.V));
    }

    [Fact]
    public void The_test_beats_play_no_part_in_the_choice()
    {
        using var first = Model();
        using var second = Model();

        var a = Calibration.Run(first, Split(Beats(25, seed: 3, "100", "103")), AamiClass.V);
        var b = Calibration.Run(second, Split(Beats(5, seed: 9, "100", "103")), AamiClass.V);

        Assert.Equal(a.Choice, b.Choice with { Bias = a.Choice.Bias });
        Assert.Equal(a.Choice.Bias, b.Choice.Bias);
        Assert.NotEqual(a.TestAfter.Beats, b.TestAfter.Beats);
    }

    [Fact]
    public void A_class_absent_from_the_validation_beats_cannot_be_calibrated()
    {
        var validation = BeatSet.FromBeats(SyntheticBeats.Make(10, Length, 2, ["119"], AamiClass.N, AamiClass.S), Length, RhythmFeatures.RrCount);
        var split = Split(Beats(5, seed: 3, "100")) with { Validation = validation };
        using var model = Model();

        var e = Assert.Throws<ArgumentException>(() => Calibration.Run(model, split, AamiClass.V));

        Assert.Contains("no V beats to calibrate on", e.Message);
        Assert.Equal(new float[Aami.ClassCount], model.DecisionBias);
    }

    [Fact]
    public void The_calibrated_metadata_keeps_the_bias_the_rule_the_figures_before_and_each_test_record()
    {
        var split = Split(Beats(25, seed: 3, "100", "103"));
        using var model = Model();
        var calibration = Calibration.Run(model, split, AamiClass.V, limit: 2, step: 0.1f);
        var metadata = new CheckpointMetadata
        {
            Architecture = "kachuee", Representation = "kachuee", WaveformLength = Length, RhythmFeatureCount = RhythmFeatures.RrCount,
            RhythmFeatureNames = RhythmFeatures.NamesOf(RhythmFeatures.RrCount), Classes = ["N", "S", "V", "F", "Q"], Protocol = "inter",
            Training = new Dictionary<string, string> { ["command"] = "ecg train" },
        };

        var annotated = calibration.Annotate(metadata, split, "ecg calibrate --class V", limit: 2, step: 0.1f);

        Assert.Equal(calibration.Choice.Bias, annotated.DecisionBias);
        Assert.Same(calibration.ValidationAfter, annotated.Validation);
        Assert.Same(calibration.TestAfter, annotated.Test);
        Assert.Equal("ecg train", annotated.Training["command"]);
        Assert.Equal("ecg calibrate --class V", annotated.Training["calibrationCommand"]);
        Assert.Equal(DecisionBiasCalibration.Rule(AamiClass.V, 2, 0.1f), annotated.Training["calibrationRule"]);
        Assert.Equal(split.Validation.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), annotated.Training["calibrationValidationBeats"]);
        Assert.StartsWith("validation V Se ", annotated.Training["beforeCalibration"]);
        // Each test record's confusion under the new bias; together they are the test confusion.
        Assert.Equal(["100", "103"], annotated.TestConfusionByRecord.Keys.Order());
        var sum = Evaluator.Sum(annotated.TestConfusionByRecord.Values.Select(ConfusionMatrix.FromRows));
        long[] summed = [.. sum.ToRows().SelectMany(r => r)];
        Assert.Equal(Flat(calibration.TestAfter), summed);
        Assert.Contains(DecisionBiasCalibration.Format(calibration.Choice.Bias), calibration.Describe());
    }

    [Fact]
    public void A_bias_prints_with_two_decimals_in_logit_order()
    {
        Assert.Equal("[0.00, -0.50, 2.05, 0.00, 1.00]", DecisionBiasCalibration.Format([0, -0.5f, 2.05f, 0, 1]));
    }
}
