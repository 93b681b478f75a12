using EcgOrleans.Client.Data;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Evaluation;

namespace EcgOrleans.Client.Evaluation;

/// <summary>What <c>ecg evaluate --json</c> prints: the model, the beats scored, gross and per-record figures, refused records.</summary>
/// <param name="Split">The beats scored: a protocol (inter, intra), a record set (ds2, ...), "records" or "all".</param>
/// <param name="Result">Gross figures: every beat scored, pooled.</param>
internal sealed record EvaluationReport(
    string Checkpoint, string Architecture, string Representation, int RhythmFeatures, string TrainedOn, string Split,
    IReadOnlyList<string> Records, EvaluationResult Result,
    string Data, IReadOnlyList<double> SamplingFrequencies, IReadOnlyDictionary<string, EvaluationResult> ByRecord, IReadOnlyList<RefusedRecord> Refused)
{
    /// <summary>"epoch 3/11, seed 1", or for an ensemble its members' epochs and seeds.</summary>
    public static string Training(CheckpointMetadata m) => m.Ensemble.Count == 0
        ? $"epoch {m.SelectedEpoch}/{m.EpochsRun}, seed {m.Seed}"
        : $"ensemble of {m.Ensemble.Count}: epochs {string.Join(", ", m.Ensemble.Select(e => $"{e.SelectedEpoch}/{e.EpochsRun}"))}, seeds {string.Join(", ", m.Ensemble.Select(e => e.Seed))}";

    /// <summary>Beats the model was trained on, or picked its epoch on, make a figure meaningless: say so.</summary>
    public static IEnumerable<string> Leaks(CheckpointMetadata metadata, EvaluationChoice choice, IEnumerable<string> records)
    {
        switch (metadata.Protocol, choice.Protocol)
        {
            case ("inter", SplitProtocol.Intra):
                yield return "the model was trained on DS1 records: the intra-patient test beats of DS1 were seen in training";
                yield break;
            case ("intra", SplitProtocol.Inter):
                yield return "the model was trained on 72 % of the DS2 beats (intra-patient): DS2 is not unseen data for it";
                yield break;
            case (_, not null):
                yield break;
        }
        var seen = metadata.TrainingRecords.Concat(metadata.ValidationRecords).ToHashSet(StringComparer.Ordinal);
        var overlap = records.Distinct().Where(seen.Contains).ToList();
        if (overlap.Count > 0)
        {
            yield return $"record(s) {string.Join(", ", overlap.Take(8))}{(overlap.Count > 8 ? ", ..." : "")} are the checkpoint's training or validation records: " +
                "if these are MIT-BIH's, their figures are not of unseen patients";
        }
    }
}
