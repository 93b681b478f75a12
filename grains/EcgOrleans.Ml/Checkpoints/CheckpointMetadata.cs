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
}
