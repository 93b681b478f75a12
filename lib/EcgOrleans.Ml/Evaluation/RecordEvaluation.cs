using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Models;

namespace EcgOrleans.Ml.Evaluation;

/// <summary>
/// A model's figures on a set of beats as ANSI/AAMI EC57 reports them: gross (every beat pooled) and record by
/// record, each with its confusion matrix.
/// </summary>
/// <param name="ByRecord">Each record with beats in the set, in ordinal order of its name.</param>
public sealed record RecordEvaluation(EvaluationResult Gross, IReadOnlyDictionary<string, EvaluationResult> ByRecord)
{
    /// <summary>Scores <paramref name="model"/> on <paramref name="beats"/> (one inference pass).</summary>
    public static RecordEvaluation Of(BeatClassifier model, BeatSet beats)
    {
        ArgumentNullException.ThrowIfNull(beats);
        var predicted = Evaluator.Predict(model, beats);
        var byRecord = new SortedDictionary<string, EvaluationResult>(StringComparer.Ordinal);
        foreach (var (record, matrix) in Evaluator.ConfusionByRecord(beats, predicted)) byRecord[record] = Metrics.From(matrix);
        return new RecordEvaluation(Metrics.From(Evaluator.Confusion(beats.Labels, predicted)), byRecord);
    }
}
