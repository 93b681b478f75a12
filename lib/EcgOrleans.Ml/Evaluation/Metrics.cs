using System.Text.Json.Serialization;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Evaluation;

/// <summary>
/// One class's figures in the one-versus-rest sense of ANSI/AAMI EC57. A figure whose denominator is zero
/// (no reference beats of the class, or none predicted) is null, never 0 or NaN: "not measurable" is not "bad".
/// </summary>
public sealed record ClassMetrics(
    AamiClass Class,
    long Support,
    long Predicted,
    long TruePositives,
    long FalsePositives,
    long FalseNegatives,
    long TrueNegatives,
    double? Sensitivity,
    double? PositivePredictivity,
    double? Specificity,
    double? FalsePositiveRate,
    double? F1);

/// <summary>The figures of a model on a set of beats: overall accuracy, per-class metrics and the confusion matrix.</summary>
public sealed record EvaluationResult(
    long Beats,
    double Accuracy,
    double? MacroF1,
    IReadOnlyList<ClassMetrics> Classes,
    [property: JsonPropertyName("confusion")] long[][] ConfusionRows)
{
    public ClassMetrics this[AamiClass c] => Classes[(int)c];

    public ConfusionMatrix Confusion() => ConfusionMatrix.FromRows(ConfusionRows);
}

public static class Metrics
{
    public static EvaluationResult From(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Total == 0) throw new ArgumentException("no beats were evaluated", nameof(matrix));
        var classes = Aami.Classes.Select(c => ForClass(matrix, c)).ToList();
        // Macro-F1 over the classes present in the reference: absent classes carry no information.
        var present = classes.Where(m => m.Support > 0).Select(m => m.F1 ?? 0).ToList();
        return new EvaluationResult(
            matrix.Total,
            (double)matrix.Correct / matrix.Total,
            present.Count == 0 ? null : present.Average(),
            classes,
            matrix.ToRows());
    }

    public static ClassMetrics ForClass(ConfusionMatrix matrix, AamiClass c)
    {
        var tp = matrix[c, c];
        var support = matrix.ReferenceCount(c);
        var predicted = matrix.PredictedCount(c);
        var fn = support - tp;
        var fp = predicted - tp;
        var tn = matrix.Total - tp - fn - fp;
        var se = Ratio(tp, support);
        var ppv = Ratio(tp, predicted);
        double? f1 = se is { } s && ppv is { } p ? (s + p == 0 ? 0 : 2 * s * p / (s + p)) : null;
        // With beats of the class present but none predicted, F1 is 0 (Se = 0), not unknown.
        if (f1 is null && support > 0) f1 = 0;
        return new ClassMetrics(c, support, predicted, tp, fp, fn, tn, se, ppv, Ratio(tn, tn + fp), Ratio(fp, fp + tn), f1);
    }

    private static double? Ratio(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;
}
