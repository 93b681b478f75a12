using EcgOrleans.Ml.Models;

namespace EcgOrleans.Ml.Checkpoints;

/// <summary>
/// Combines trained checkpoints into one ensemble checkpoint's model and metadata. Members must be
/// interchangeable: one architecture, representation, feature count and feature standardisation, trained on the same
/// records with the same held-out validation and test records, so the ensemble's figures on those records are as
/// honest as each member's.
/// </summary>
public static class Ensembles
{
    /// <summary>
    /// The ensemble of <paramref name="members"/> (in that order; it takes ownership of their models) and its metadata:
    /// the first member's, with one <see cref="EnsembleMember"/> per member and no figures yet (the caller evaluates).
    /// Throws <see cref="ArgumentException"/> naming the first member that does not fit.
    /// </summary>
    public static (BeatEnsemble Model, CheckpointMetadata Metadata) Combine(IReadOnlyList<(string Source, LoadedCheckpoint Checkpoint)> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count is < 2 or > BeatEnsemble.MaxMembers)
            throw new ArgumentException($"an ensemble combines 2 to {BeatEnsemble.MaxMembers} checkpoints, not {members.Count}");
        var (firstSource, first) = members[0];
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (source, checkpoint) in members)
        {
            var m = checkpoint.Metadata;
            if (m.Ensemble.Count > 0) throw new ArgumentException($"{source} is already an ensemble ({m.Ensemble.Count} members): combine its members instead");
            if (m.DecisionBias.Any(b => b != 0))
                throw new ArgumentException($"{source} carries a decision bias: combine uncalibrated checkpoints, then run ecg calibrate on the ensemble");
            if (!seen.TryAdd(m.WeightsSha256, source))
                throw new ArgumentException($"{source} has the same weights as {seen[m.WeightsSha256]}: an ensemble would count that model twice");
            if (Mismatch(first.Metadata, m) is { } field)
                throw new ArgumentException($"{source} differs from {firstSource} in {field}: ensemble members must be trained alike on the same records");
        }

        var model = new BeatEnsemble([.. members.Select(m => m.Checkpoint.Model)]);
        model.eval();
        var metadata = first.Metadata with
        {
            DecisionBias = [],
            Validation = null,
            Test = null,
            TestConfusionByRecord = new Dictionary<string, long[][]>(),
            WeightsSha256 = "",
            Ensemble = [.. members.Select(m => new EnsembleMember
            {
                Source = Path.GetFileName(m.Source),
                Seed = m.Checkpoint.Metadata.Seed,
                EpochsRun = m.Checkpoint.Metadata.EpochsRun,
                SelectedEpoch = m.Checkpoint.Metadata.SelectedEpoch,
                Command = m.Checkpoint.Metadata.Training.GetValueOrDefault("command", ""),
                WeightsSha256 = m.Checkpoint.Metadata.WeightsSha256,
                Validation = m.Checkpoint.Metadata.Validation,
                Test = m.Checkpoint.Metadata.Test,
            })],
        };
        return (model, metadata);
    }

    /// <summary>The first field in which <paramref name="other"/> cannot stand beside <paramref name="first"/>, or null.</summary>
    private static string? Mismatch(CheckpointMetadata first, CheckpointMetadata other)
    {
        if (first.Architecture != other.Architecture) return $"architecture ({other.Architecture}, not {first.Architecture})";
        if (first.Representation != other.Representation) return $"representation ({other.Representation}, not {first.Representation})";
        if (first.RhythmFeatureCount != other.RhythmFeatureCount) return $"rhythm features ({other.RhythmFeatureCount}, not {first.RhythmFeatureCount})";
        if (first.Protocol != other.Protocol) return $"protocol ({other.Protocol}, not {first.Protocol})";
        if (!first.TrainingRecords.SequenceEqual(other.TrainingRecords)) return "training records";
        if (!first.ValidationRecords.SequenceEqual(other.ValidationRecords))
            return $"validation records ({string.Join(" ", other.ValidationRecords)}, not {string.Join(" ", first.ValidationRecords)})";
        if (!first.TestRecords.SequenceEqual(other.TestRecords)) return "test records";
        if (!FeatureStandardisation.Same(first.FeatureStandardisation, other.FeatureStandardisation)) return "feature standardisation";
        return null;
    }
}
