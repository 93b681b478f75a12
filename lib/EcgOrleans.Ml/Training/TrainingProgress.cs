using EcgOrleans.Ml.Evaluation;

namespace EcgOrleans.Ml.Training;

/// <summary>The figures of one finished epoch.</summary>
public sealed record EpochReport(
    int Epoch,
    int Epochs,
    double LearningRate,
    double TrainingLoss,
    double TrainingAccuracy,
    EvaluationResult Validation,
    double Score,
    bool Improved,
    TimeSpan Elapsed);

/// <summary>Progress of a training run: a batch done (<see cref="EpochDone"/> null) or a whole epoch (with its report).</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, EpochReport? EpochDone);
