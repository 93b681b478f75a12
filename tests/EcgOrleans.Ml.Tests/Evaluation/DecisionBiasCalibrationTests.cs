using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Tests.Evaluation;

public sealed class DecisionBiasCalibrationTests
{
    /// <summary>
    /// Logits of beats whose only live contest is N against V: the V logit minus the N logit is given per beat, the
    /// other classes sit far below. A V offset t then calls a beat V exactly when its margin + t &gt; 0.
    /// </summary>
    private static (float[] Logits, AamiClass[] References) NVersusV(IEnumerable<float> vMargins, IEnumerable<float> nMargins)
    {
        var beats = vMargins.Select(m => (Margin: m, Class: AamiClass.V)).Concat(nMargins.Select(m => (Margin: m, Class: AamiClass.N))).ToList();
        var logits = new float[beats.Count * Aami.ClassCount];
        for (var b = 0; b < beats.Count; b++)
        {
            var row = logits.AsSpan(b * Aami.ClassCount, Aami.ClassCount);
            row.Fill(-20);
            row[(int)AamiClass.N] = 1;
            row[(int)AamiClass.V] = 1 + beats[b].Margin;
        }
        return (logits, [.. beats.Select(b => b.Class)]);
    }

    [Fact]
    public void The_grid_runs_outwards_from_zero_in_whole_steps()
    {
        var grid = DecisionBiasCalibration.Grid(3, 0.05f);

        Assert.Equal(121, grid.Count);
        Assert.Equal([0f, -0.05f, 0.05f, -0.1f, 0.1f], grid.Take(5));
        Assert.Equal([-3f, 3f], grid.TakeLast(2));
        Assert.Equal(grid.Count, grid.Distinct().Count());
        Assert.All(grid.Zip(grid.Skip(1)), pair => Assert.True(Math.Abs(pair.First) <= Math.Abs(pair.Second)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecisionBiasCalibration.Grid(3, 0));
    }

    [Fact]
    public void Predictions_are_the_argmax_of_logits_plus_bias_and_ties_go_to_the_first_class()
    {
        float[] logits = [0, 1, 2, 0, 0, /* beat 2 */ 3, 3, 0, 0, 0];

        Assert.Equal([AamiClass.V, AamiClass.N], DecisionBiasCalibration.Predict(logits, [0, 0, 0, 0, 0]));
        Assert.Equal([AamiClass.S, AamiClass.S], DecisionBiasCalibration.Predict(logits, [0, 1.5f, 0, 0, 0]));
        Assert.Equal([AamiClass.F, AamiClass.F], DecisionBiasCalibration.Predict(logits, [0, 0, 0, 10, 0]));
        Assert.Throws<ArgumentException>(() => DecisionBiasCalibration.Predict(logits, [0, 0, 0]));
        Assert.Throws<ArgumentException>(() => DecisionBiasCalibration.Predict(logits.AsSpan(0, 7), [0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Under_called_V_gets_the_smallest_positive_offset_that_finds_every_V_beat()
    {
        // V margins -1.00 .. +0.98: half the V beats are missed at offset 0. N margins -2 and below: no N beat
        // turns V before an offset of 2. Every offset in (1, 2] gives Se = +P = 1; the smallest on the grid is 1.05.
        var (logits, references) = NVersusV(Enumerable.Range(0, 100).Select(i => -1 + 0.02f * i), Enumerable.Range(0, 400).Select(j => -2 - 0.01f * j));

        var choice = DecisionBiasCalibration.Calibrate(logits, references, AamiClass.V);

        Assert.Equal(1.05f, choice.Offset);
        Assert.Equal([0, 0, 1.05f, 0, 0], choice.Bias);
        Assert.Equal(1.0, choice.Score);
        Assert.Equal(0.49, choice.StartingScore, 6); // 49 of 100 V beats have a margin above 0
    }

    [Fact]
    public void Over_called_V_gets_the_smallest_negative_offset_that_clears_the_false_positives()
    {
        // N margins -1.000 .. +0.485: a third of the N beats are called V at offset 0; V margins 1 .. 1.99.
        // Offsets in [-0.95, -0.5] separate them; -0.45 still leaves the N beat at 0.485 on the V side.
        var (logits, references) = NVersusV(Enumerable.Range(0, 100).Select(i => 1 + 0.01f * i), Enumerable.Range(0, 100).Select(j => -1 + 0.015f * j));

        var choice = DecisionBiasCalibration.Calibrate(logits, references, AamiClass.V);

        Assert.Equal(-0.5f, choice.Offset);
        Assert.Equal(1.0, choice.Score);
        Assert.True(choice.StartingScore < 1);
    }

    [Fact]
    public void A_model_already_at_its_best_keeps_a_zero_offset()
    {
        var (logits, references) = NVersusV(Enumerable.Range(0, 50).Select(i => 0.5f + 0.01f * i), Enumerable.Range(0, 50).Select(j => -0.5f - 0.01f * j));

        var choice = DecisionBiasCalibration.Calibrate(logits, references, AamiClass.V);

        Assert.Equal(0f, choice.Offset);
        Assert.Equal(choice.StartingScore, choice.Score);
    }

    [Fact]
    public void The_objective_is_the_smaller_of_Se_and_P_so_the_offset_balances_them()
    {
        // Overlapping classes: V margins spread over -1 .. 1, N margins over -3 .. 0.2 (N beats far outnumber V).
        // Raising the offset trades +P for Se; the chosen offset is the grid point with the largest min(Se, +P).
        var random = new Random(7);
        var (logits, references) = NVersusV(
            Enumerable.Range(0, 200).Select(_ => (float)(2 * random.NextDouble() - 1)),
            Enumerable.Range(0, 2000).Select(_ => (float)(-3 + 3.2 * random.NextDouble())));

        var choice = DecisionBiasCalibration.Calibrate(logits, references, AamiClass.V);

        var best = DecisionBiasCalibration.Grid().Max(t => ScoreAt(t));
        Assert.Equal(best, choice.Score);
        Assert.Equal(best, ScoreAt(choice.Offset));
        Assert.All(DecisionBiasCalibration.Grid().Where(t => Math.Abs(t) < Math.Abs(choice.Offset)), t => Assert.True(ScoreAt(t) < best));

        double ScoreAt(float offset) =>
            DecisionBiasCalibration.Score(Evaluator.Confusion(references, DecisionBiasCalibration.Predict(logits, [0, 0, offset, 0, 0])), AamiClass.V);
    }

    [Fact]
    public void The_other_classes_keep_their_starting_offsets()
    {
        var (logits, references) = NVersusV(Enumerable.Range(0, 100).Select(i => -1 + 0.02f * i), Enumerable.Range(0, 400).Select(j => -2 - 0.01f * j));

        var choice = DecisionBiasCalibration.Calibrate(logits, references, AamiClass.V, startingBias: [0.25f, -1, 7, 0, -2]);

        Assert.Equal([0.25f, -1, choice.Offset, 0, -2], choice.Bias);
    }

    [Fact]
    public void Calibration_needs_beats_of_the_class_and_whole_rows_of_logits()
    {
        var (logits, references) = NVersusV([], Enumerable.Range(0, 10).Select(j => -1f));
        Assert.Contains("no V beats", Assert.Throws<ArgumentException>(() => DecisionBiasCalibration.Calibrate(logits, references, AamiClass.V)).Message);
        Assert.Throws<ArgumentException>(() => DecisionBiasCalibration.Calibrate(logits[..^1], references, AamiClass.N));
    }
}
