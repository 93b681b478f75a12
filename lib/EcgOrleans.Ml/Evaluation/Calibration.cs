using System.Globalization;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Evaluation;

/// <summary>What calibrating one class's decision offset found.</summary>
/// <param name="Class">The class whose logit offset was chosen.</param>
/// <param name="Offset">The chosen offset of that class's logit.</param>
/// <param name="Bias">The whole bias (one offset per class, logit order): the starting bias with <paramref name="Offset"/> in place.</param>
/// <param name="Score">min(Se, +P) of the class with the chosen offset.</param>
/// <param name="StartingScore">min(Se, +P) of the class with the starting bias.</param>
public sealed record DecisionBiasChoice(AamiClass Class, float Offset, float[] Bias, double Score, double StartingScore);

/// <summary>
/// A per-class decision bias chosen on held-out data: the model's decision becomes argmax(logits + bias). A
/// classifier trained with balanced classes on some patients is often miscalibrated on others (here: too few or
/// too many V calls); shifting one class's logit trades its sensitivity against its positive predictivity without
/// retraining. The offset must be chosen on validation beats, never on the test beats it is then judged on.
/// </summary>
public static class DecisionBiasCalibration
{
    public const float DefaultLimit = 3f;
    public const float DefaultStep = 0.05f;

    /// <summary>A decision bias as "[0.00, 0.00, 2.05, 0.00, 0.00]".</summary>
    public static string Format(IEnumerable<float> bias) =>
        $"[{string.Join(", ", bias.Select(b => b.ToString("0.00", CultureInfo.InvariantCulture)))}]";

    /// <summary>How the offset is chosen, in words, for the checkpoint's record.</summary>
    public static string Rule(AamiClass c, float limit = DefaultLimit, float step = DefaultStep) => string.Create(CultureInfo.InvariantCulture,
        $"offset of the {c} logit on a grid -{limit}..+{limit} step {step} maximising min(Se, +P) of {c} on the validation beats; ties to the smallest |offset|");

    /// <summary>
    /// The candidate offsets -limit..+limit in steps of <paramref name="step"/>, ordered by |offset| (0, -step,
    /// +step, -2 step, ...): the first of several equally good offsets is the smallest change to the model.
    /// </summary>
    public static IReadOnlyList<float> Grid(float limit = DefaultLimit, float step = DefaultStep)
    {
        if (!(step > 0) || !float.IsFinite(step)) throw new ArgumentOutOfRangeException(nameof(step), step, "give a positive step");
        if (!(limit >= 0) || !float.IsFinite(limit)) throw new ArgumentOutOfRangeException(nameof(limit), limit, "give a limit of 0 or more");
        // Integer multiples, rounded: k * 0.05f accumulates no drift and prints as the grid it is.
        var steps = (int)Math.Floor(limit / (double)step + 1e-6);
        var grid = new List<float> { 0 };
        for (var k = 1; k <= steps; k++)
        {
            var offset = (float)Math.Round(k * (double)step, 6);
            grid.Add(-offset);
            grid.Add(offset);
        }
        return grid;
    }

    /// <summary>argmax(logits + bias) of every beat; <paramref name="logits"/> is beat-major, one value per class.</summary>
    /// <remarks>The first of equal maxima wins, as with torch's argmax, so this agrees with <see cref="Evaluator.Predict"/>.</remarks>
    public static AamiClass[] Predict(ReadOnlySpan<float> logits, IReadOnlyList<float> bias)
    {
        ArgumentNullException.ThrowIfNull(bias);
        if (bias.Count != Aami.ClassCount) throw new ArgumentException($"{bias.Count} bias values for {Aami.ClassCount} classes", nameof(bias));
        if (logits.Length % Aami.ClassCount != 0) throw new ArgumentException($"{logits.Length} logits are not whole rows of {Aami.ClassCount}", nameof(logits));
        var predicted = new AamiClass[logits.Length / Aami.ClassCount];
        for (var b = 0; b < predicted.Length; b++)
        {
            var row = logits.Slice(b * Aami.ClassCount, Aami.ClassCount);
            var best = 0;
            var bestValue = row[0] + bias[0];
            for (var c = 1; c < Aami.ClassCount; c++)
            {
                var value = row[c] + bias[c];
                if (value > bestValue) (best, bestValue) = (c, value);
            }
            predicted[b] = (AamiClass)best;
        }
        return predicted;
    }

    /// <summary>min(Se, +P) of a class; a figure that cannot be measured (none predicted) counts as 0.</summary>
    public static double Score(ConfusionMatrix matrix, AamiClass c)
    {
        var m = Metrics.ForClass(matrix, c);
        return Math.Min(m.Sensitivity ?? 0, m.PositivePredictivity ?? 0);
    }

    /// <summary>
    /// Chooses the offset of class <paramref name="c"/>'s logit that maximises min(Se, +P) of that class on the
    /// given (validation) beats, the other classes' offsets kept as in <paramref name="startingBias"/> (zeros when null).
    /// </summary>
    /// <param name="logits">Raw logits, beat-major (B x 5), e.g. <see cref="Evaluator.Logits"/> of the validation set.</param>
    /// <param name="references">Reference class of every beat.</param>
    public static DecisionBiasChoice Calibrate(float[] logits, IReadOnlyList<AamiClass> references, AamiClass c,
        IReadOnlyList<float>? startingBias = null, float limit = DefaultLimit, float step = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(references);
        if (!Enum.IsDefined(c)) throw new ArgumentOutOfRangeException(nameof(c), c, "not an AAMI class");
        if (logits.Length != references.Count * Aami.ClassCount)
            throw new ArgumentException($"{logits.Length} logits for {references.Count} beats of {Aami.ClassCount} classes", nameof(logits));
        if (!references.Contains(c)) throw new ArgumentException($"no {c} beats to calibrate on: Se of {c} is not measurable", nameof(references));
        var bias = startingBias is null ? new float[Aami.ClassCount] : [.. startingBias];
        var startingScore = ScoreWith(bias);

        var (bestOffset, bestScore) = (0f, double.NegativeInfinity);
        foreach (var offset in Grid(limit, step))
        {
            bias[(int)c] = offset;
            var score = ScoreWith(bias);
            // Strictly better only: the grid runs outwards from 0, so ties keep the smaller change.
            if (score > bestScore) (bestOffset, bestScore) = (offset, score);
        }
        bias[(int)c] = bestOffset;
        return new DecisionBiasChoice(c, bestOffset, bias, bestScore, startingScore);

        double ScoreWith(float[] candidate) => Score(Evaluator.Confusion(references, Predict(logits, candidate)), c);
    }
}

/// <summary>
/// A model's decision bias for one class chosen on a split's validation beats (<see cref="DecisionBiasCalibration"/>),
/// with the figures of validation and test before and after it: what <c>ecg calibrate</c> and <c>ecg train
/// --calibrate-class</c> do.
/// </summary>
public sealed record Calibration(
    DecisionBiasChoice Choice,
    EvaluationResult ValidationBefore,
    EvaluationResult ValidationAfter,
    EvaluationResult TestBefore,
    EvaluationResult TestAfter,
    AamiClass[] TestPredicted)
{
    /// <summary>
    /// Chooses the offset of <paramref name="target"/> on the split's validation beats, sets it as the model's
    /// decision bias, and scores validation and test before and after. The test beats play no part in the choice.
    /// </summary>
    public static Calibration Run(BeatClassifier model, ProtocolSplit split, AamiClass target,
        float limit = DecisionBiasCalibration.DefaultLimit, float step = DecisionBiasCalibration.DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        var startingBias = model.DecisionBias.ToArray();
        var validationLogits = Evaluator.Logits(model, split.Validation);
        var choice = DecisionBiasCalibration.Calibrate(validationLogits, split.Validation.Labels, target, startingBias, limit, step);
        // Test logits once: both decisions are argmaxes over them (DecisionBiasCalibration.Predict agrees with Evaluator.Predict).
        var testLogits = Evaluator.Logits(model, split.Test);
        var testPredicted = DecisionBiasCalibration.Predict(testLogits, choice.Bias);
        model.DecisionBias = choice.Bias;
        return new Calibration(choice,
            Score(split.Validation, DecisionBiasCalibration.Predict(validationLogits, startingBias)),
            Score(split.Validation, DecisionBiasCalibration.Predict(validationLogits, choice.Bias)),
            Score(split.Test, DecisionBiasCalibration.Predict(testLogits, startingBias)),
            Score(split.Test, testPredicted),
            testPredicted);

        static EvaluationResult Score(BeatSet set, AamiClass[] predicted) => Metrics.From(Evaluator.Confusion(set.Labels, predicted));
    }

    /// <summary>Why a checkpoint cannot be calibrated, or null when it can.</summary>
    public static string? CannotCalibrate(CheckpointMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        // The bias must come from beats held out of training and of test; without them there is nothing honest to fit it on.
        if (metadata.ValidationRecords.Count == 0) return "names no validation records: nothing held out of training to calibrate on";
        try
        {
            Protocols.Parse(metadata.Protocol);
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
        return null;
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Choice.Class} logit offset {Choice.Offset:+0.00;-0.00;0.00}: validation min(Se, +P) of {Choice.Class} {100 * Choice.StartingScore:F1} % → {100 * Choice.Score:F1} %; " +
        $"decision bias {DecisionBiasCalibration.Format(Choice.Bias)}");

    /// <summary>The metadata of the calibrated model: its bias, the figures under it, and how it was chosen.</summary>
    /// <param name="command">The command line that calibrated it, for the record.</param>
    public CheckpointMetadata Annotate(CheckpointMetadata metadata, ProtocolSplit split, string command,
        float limit = DecisionBiasCalibration.DefaultLimit, float step = DecisionBiasCalibration.DefaultStep) =>
        metadata with
        {
            DecisionBias = Choice.Bias,
            Validation = ValidationAfter,
            Test = TestAfter,
            TestConfusionByRecord = split.Protocol == SplitProtocol.Inter
                ? Evaluator.ConfusionByRecord(split.Test, TestPredicted).ToDictionary(kv => kv.Key, kv => kv.Value.ToRows())
                : metadata.TestConfusionByRecord,
            Training = new Dictionary<string, string>(metadata.Training)
            {
                ["calibrationCommand"] = command,
                ["calibrationRule"] = DecisionBiasCalibration.Rule(Choice.Class, limit, step),
                ["calibrationValidationBeats"] = split.Validation.Count.ToString(CultureInfo.InvariantCulture),
                ["beforeCalibration"] = Summary(ValidationBefore, TestBefore, Choice.Class),
            },
        };

    private static string Summary(EvaluationResult validation, EvaluationResult test, AamiClass c) => string.Create(CultureInfo.InvariantCulture,
        $"validation {c} Se {Percent(validation[c].Sensitivity)} +P {Percent(validation[c].PositivePredictivity)} accuracy {Percent(validation.Accuracy)}; " +
        $"test {c} Se {Percent(test[c].Sensitivity)} +P {Percent(test[c].PositivePredictivity)} accuracy {Percent(test.Accuracy)}");

    /// <summary>As the command line's tables print a figure: one decimal, "–" when not measurable.</summary>
    private static string Percent(double? value) => value is { } v ? (100 * v).ToString("F1", CultureInfo.InvariantCulture) : "–";
}
