using System.Text.Json.Serialization;
using EcgOrleans.Ml.Evaluation;

namespace EcgOrleans.Ml.Checkpoints;

/// <summary>What a checkpoint says about its model: enough to rebuild it, feed it the right beats, and judge its figures.</summary>
public sealed record CheckpointMetadata
{
    /// <summary>"kachuee" or "resnet" (<see cref="Models.ModelFactory"/>).</summary>
    public required string Architecture { get; init; }

    /// <summary>Beat representation name: "window" or "kachuee".</summary>
    public required string Representation { get; init; }

    public required int WaveformLength { get; init; }

    public required int RhythmFeatureCount { get; init; }

    public required IReadOnlyList<string> RhythmFeatureNames { get; init; }

    /// <summary>Class names in logit order.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>"intra" or "inter".</summary>
    public required string Protocol { get; init; }

    public IReadOnlyList<string> TrainingRecords { get; init; } = [];

    public IReadOnlyList<string> ValidationRecords { get; init; } = [];

    public IReadOnlyList<string> TestRecords { get; init; } = [];

    public int Seed { get; init; }

    public int EpochsRun { get; init; }

    /// <summary>1-based epoch whose weights were kept (best validation score).</summary>
    public int SelectedEpoch { get; init; }

    /// <summary>
    /// Offsets added to the logits (in <see cref="Classes"/> order) before the class is chosen: the decision is
    /// argmax(logits + bias). Empty (older checkpoints, uncalibrated models) means zeros. Chosen on the validation
    /// records by <c>ecg calibrate</c> (<see cref="Evaluation.DecisionBiasCalibration"/>), never on test records.
    /// </summary>
    public IReadOnlyList<float> DecisionBias { get; init; } = [];

    /// <summary>
    /// The beat-feature standardisation the model applies before its head (<see cref="Models.FeatureStandardisation"/>);
    /// null (older checkpoints, models trained without it): none.
    /// </summary>
    public Models.FeatureStandardisation? FeatureStandardisation { get; init; }

    /// <summary>How training was set up (batch size, learning rate, class balancing, ...), for the record.</summary>
    public IReadOnlyDictionary<string, string> Training { get; init; } = new Dictionary<string, string>();

    public EvaluationResult? Validation { get; init; }

    public EvaluationResult? Test { get; init; }

    /// <summary>The test confusion matrix of every test record (rows: reference, columns: predicted), so any subset's figures can be re-checked.</summary>
    public IReadOnlyDictionary<string, long[][]> TestConfusionByRecord { get; init; } = new Dictionary<string, long[][]>();

    public DateTimeOffset Created { get; init; }

    public string ToolVersion { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of the weight bytes; filled in by <see cref="Checkpoint.Save"/>.</summary>
    public string WeightsSha256 { get; init; } = "";

    /// <summary>
    /// Empty for one model. For an ensemble (<see cref="Models.BeatEnsemble"/>, made by <c>ecg ensemble</c>), one entry
    /// per member in weight order: where it came from and its own figures. <see cref="Seed"/>, <see cref="EpochsRun"/>
    /// and <see cref="SelectedEpoch"/> are then the first member's.
    /// </summary>
    public IReadOnlyList<EnsembleMember> Ensemble { get; init; } = [];

    /// <summary>How many models the weights hold: 1, or the ensemble's member count.</summary>
    [JsonIgnore]
    public int MemberCount => Ensemble.Count == 0 ? 1 : Ensemble.Count;

    /// <summary>"kachuee", or "kachuee ensemble of 3": the model's name in summaries and tables.</summary>
    [JsonIgnore]
    public string ModelName => MemberCount == 1 ? Architecture : $"{Architecture} ensemble of {MemberCount}";
}

/// <summary>One model of an ensemble checkpoint, as its own checkpoint described it.</summary>
public sealed record EnsembleMember
{
    /// <summary>The member's checkpoint file name when the ensemble was made.</summary>
    public string Source { get; init; } = "";

    public int Seed { get; init; }

    public int EpochsRun { get; init; }

    public int SelectedEpoch { get; init; }

    /// <summary>The command that trained it (its checkpoint's <c>training.command</c>).</summary>
    public string Command { get; init; } = "";

    /// <summary>The SHA-256 of the member checkpoint's own weights: which training run it is.</summary>
    public string WeightsSha256 { get; init; } = "";

    public EvaluationResult? Validation { get; init; }

    public EvaluationResult? Test { get; init; }
}
