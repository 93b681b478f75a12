using System.Text.Json;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Tests;

public sealed class MetricsTests
{
    // Rows: reference N, S, V, F, Q; columns: predicted.
    private static readonly long[][] Rows =
    [
        [90, 4, 5, 1, 0],
        [6, 12, 2, 0, 0],
        [3, 1, 36, 0, 0],
        [2, 0, 3, 5, 0],
        [0, 0, 0, 0, 0],
    ];

    private static EvaluationResult Result() => Metrics.From(ConfusionMatrix.FromRows(Rows));

    [Fact]
    public void Accuracy_is_the_diagonal_over_the_total()
    {
        var result = Result();
        Assert.Equal(170, result.Beats);
        Assert.Equal((90 + 12 + 36 + 5) / 170.0, result.Accuracy, 12);
    }

    [Fact]
    public void Ventricular_figures_match_a_hand_count()
    {
        var v = Result()[AamiClass.V];
        // TP 36; FN 3 + 1 = 4; FP 5 + 2 + 3 = 10; TN 170 - 36 - 4 - 10 = 120.
        Assert.Equal((40L, 46L, 36L, 10L, 4L, 120L), (v.Support, v.Predicted, v.TruePositives, v.FalsePositives, v.FalseNegatives, v.TrueNegatives));
        Assert.Equal(36 / 40.0, v.Sensitivity!.Value, 12);
        Assert.Equal(36 / 46.0, v.PositivePredictivity!.Value, 12);
        Assert.Equal(120 / 130.0, v.Specificity!.Value, 12);
        Assert.Equal(10 / 130.0, v.FalsePositiveRate!.Value, 12);
        Assert.Equal(2 * 36 / (40.0 + 46.0), v.F1!.Value, 12);
    }

    [Fact]
    public void An_absent_class_has_no_sensitivity_and_stays_out_of_macro_f1()
    {
        var result = Result();
        var q = result[AamiClass.Q];
        Assert.Equal(0, q.Support);
        Assert.Null(q.Sensitivity);
        Assert.Null(q.PositivePredictivity);
        Assert.Null(q.F1);
        Assert.Equal(1.0, q.Specificity!.Value, 12);
        var presentF1 = new[] { AamiClass.N, AamiClass.S, AamiClass.V, AamiClass.F }.Select(c => result[c].F1!.Value).Average();
        Assert.Equal(presentF1, result.MacroF1!.Value, 12);
    }

    [Fact]
    public void A_present_class_never_predicted_has_f1_zero_and_no_predictivity()
    {
        var matrix = new ConfusionMatrix();
        matrix.Add(AamiClass.N, AamiClass.N, 10);
        matrix.Add(AamiClass.F, AamiClass.N, 2);
        var f = Metrics.ForClass(matrix, AamiClass.F);
        Assert.Equal(0, f.Sensitivity);
        Assert.Null(f.PositivePredictivity);
        Assert.Equal(0, f.F1);
    }

    [Fact]
    public void Results_round_trip_through_json()
    {
        var result = Result();
        var json = JsonSerializer.Serialize(result, Checkpoint.JsonOptions);
        Assert.Contains("\"confusion\"", json);
        Assert.Contains("\"V\"", json);
        var back = JsonSerializer.Deserialize<EvaluationResult>(json, Checkpoint.JsonOptions)!;
        Assert.Equal(result.Classes, back.Classes);
        Assert.Equal(Rows.SelectMany(r => r), back.ConfusionRows.SelectMany(r => r));
        Assert.Equal(result.Accuracy, back.Accuracy);
    }

    [Fact]
    public void Empty_matrix_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Metrics.From(new ConfusionMatrix()));
        Assert.Contains("no beats", error.Message);
    }

    [Fact]
    public void Malformed_rows_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromRows([[1, 2, 3]]));
    }
}
