using System.Globalization;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Training;

/// <summary>What a training run is asked for: the model, the beats it sees, how it is trained, and what follows.</summary>
public sealed record TrainingPlan
{
    /// <summary>"kachuee" or "resnet" (<see cref="ModelFactory.Architectures"/>).</summary>
    public required string Architecture { get; init; }

    public required BeatRepresentation Representation { get; init; }

    public SplitProtocol Protocol { get; init; } = SplitProtocol.Inter;

    /// <summary>Beat features the model takes: 0, the RR features or all (<see cref="RhythmFeatures.IsValidCount"/>).</summary>
    public int RhythmFeatureCount { get; init; } = RhythmFeatures.RrCount;

    public required TrainingOptions Options { get; init; }

    /// <summary>Inter-patient: the DS1 records held out for epoch selection (null: <see cref="Protocols.InterValidationRecords"/>).</summary>
    public IReadOnlyList<string>? ValidationRecords { get; init; }

    /// <summary>After training, choose this class's decision bias on the validation beats (<see cref="Calibration"/>).</summary>
    public AamiClass? CalibrateClass { get; init; }

    /// <summary>The command that asked for the run, kept in the checkpoint's metadata.</summary>
    public string Command { get; init; } = "";

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong, before any beat is read.</summary>
    public void Validate()
    {
        ModelFactory.Create(Architecture, Representation.Length, 0).Dispose();
        if (!RhythmFeatures.IsValidCount(RhythmFeatureCount))
            throw new ArgumentException($"{RhythmFeatureCount} beat features: keep 0, {RhythmFeatures.RrCount} or {RhythmFeatures.Count}");
        Options.Validate();
    }
}

/// <summary>What a training run produced; the checkpoint holds the model, <see cref="Metadata"/> describes it.</summary>
/// <param name="Calibration">The decision bias chosen after training, when the plan asked for one.</param>
public sealed record TrainingOutcome(
    int EpochsRun, int SelectedEpoch, TimeSpan Elapsed, EvaluationResult Validation, EvaluationResult Test,
    Calibration? Calibration, CheckpointMetadata Metadata);

/// <summary>
/// One training run from beats to checkpoint: split the beats by the protocol, train (<see cref="Trainer"/>), score
/// the test beats, describe the model in its metadata, calibrate a class's decision bias when asked, and save.
/// </summary>
public sealed class TrainingRun
{
    public TrainingRun(TrainingPlan plan, ProtocolSplit split)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(split);
        plan.Validate();
        if (split.Training.Length != plan.Representation.Length || split.Training.RhythmCount != plan.RhythmFeatureCount)
            throw new ArgumentException(
                $"beats of {split.Training.Length} samples with {split.Training.RhythmCount} features do not fit the plan's {plan.Representation.Length} and {plan.RhythmFeatureCount}",
                nameof(split));
        Plan = plan;
        Split = split;
    }

    public TrainingPlan Plan { get; }

    public ProtocolSplit Split { get; }

    /// <summary>
    /// Reads the protocol's MIT-BIH records (DS1 and DS2) from <paramref name="directory"/>, cuts their beats as the plan
    /// says and splits them. A bad validation record list is an <see cref="ArgumentException"/>.
    /// </summary>
    public static TrainingRun Load(string directory, TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.Validate();
        var beats = MitBihBeats.Load(directory, Protocols.Records(plan.Protocol), plan.Representation, plan.RhythmFeatureCount);
        return new TrainingRun(plan, Protocols.Split(plan.Protocol, beats, plan.ValidationRecords));
    }

    /// <summary>Trains, tests, calibrates when asked, and saves the checkpoint to <paramref name="checkpointPath"/>.</summary>
    public TrainingOutcome Run(string checkpointPath, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointPath);
        var result = Trainer.Train(Plan.Architecture, Split.Training, Split.Validation, Plan.Options, progress, cancellation);
        using var model = result.Model;

        var predicted = Evaluator.Predict(model, Split.Test);
        var test = Metrics.From(Evaluator.Confusion(Split.Test.Labels, predicted));
        var metadata = Describe(model, result, test, predicted);
        Calibration? calibration = null;
        if (Plan.CalibrateClass is { } target)
        {
            calibration = Calibration.Run(model, Split, target);
            metadata = calibration.Annotate(metadata, Split, Plan.Command);
        }
        Checkpoint.Save(checkpointPath, model, metadata);
        return new TrainingOutcome(result.EpochsRun, result.SelectedEpoch, result.Elapsed, result.Validation, test, calibration, metadata);
    }

    private CheckpointMetadata Describe(BeatClassifier model, TrainingResult result, EvaluationResult test, AamiClass[] predicted) => new()
    {
        Architecture = Plan.Architecture.Trim().ToLowerInvariant(),
        Representation = Plan.Representation.Name,
        WaveformLength = Plan.Representation.Length,
        RhythmFeatureCount = Split.Training.RhythmCount,
        RhythmFeatureNames = RhythmFeatures.NamesOf(Split.Training.RhythmCount),
        Classes = [.. Aami.Classes.Select(c => c.ToString())],
        Protocol = Protocols.Name(Split.Protocol),
        TrainingRecords = Split.TrainingRecords,
        ValidationRecords = Split.ValidationRecords,
        TestRecords = Split.TestRecords,
        Seed = Plan.Options.Seed,
        EpochsRun = result.EpochsRun,
        SelectedEpoch = result.SelectedEpoch,
        FeatureStandardisation = model.Standardisation,
        Training = new Dictionary<string, string>(Plan.Options.Describe())
        {
            ["trainingBeats"] = Split.Training.Count.ToString(CultureInfo.InvariantCulture),
            ["validationBeats"] = Split.Validation.Count.ToString(CultureInfo.InvariantCulture),
            ["trainingSeconds"] = result.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture),
            ["intraSplitSeed"] = Protocols.IntraSplitSeed.ToString(CultureInfo.InvariantCulture),
            ["command"] = Plan.Command,
        },
        Validation = result.Validation,
        Test = test,
        // Per-record test figures only mean something when the test records are whole patients.
        TestConfusionByRecord = Split.Protocol == SplitProtocol.Inter
            ? Evaluator.ConfusionByRecord(Split.Test, predicted).ToDictionary(kv => kv.Key, kv => kv.Value.ToRows())
            : new Dictionary<string, long[][]>(),
        Created = DateTimeOffset.UtcNow,
        ToolVersion = Checkpoint.ToolVersion,
    };
}
