using System.Diagnostics;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Training;

/// <summary>The outcome of <see cref="Trainer.Train"/>: the model holding the selected epoch's weights, and the history.</summary>
public sealed record TrainingResult(BeatClassifier Model, int EpochsRun, int SelectedEpoch, EvaluationResult Validation, IReadOnlyList<EpochReport> History, TimeSpan Elapsed);

/// <summary>
/// Trains a beat classifier with Adam on mini-batches, scores every epoch on validation beats that are not
/// trained on, and keeps the best epoch's weights. Deterministic for a seed and thread count on one machine:
/// torch's generator is seeded (initial weights, dropout) and the shuffling uses its own seeded RNG.
/// </summary>
public static class Trainer
{
    public static TrainingResult Train(
        string architecture, BeatSet training, BeatSet validation, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (training.Count == 0) throw new ArgumentException("no training beats", nameof(training));
        if (validation.Count == 0) throw new ArgumentException("no validation beats: epochs are selected on them", nameof(validation));
        if (validation.Length != training.Length || validation.RhythmCount != training.RhythmCount)
            throw new ArgumentException("training and validation beats differ in waveform length or rhythm features", nameof(validation));

        torch.set_num_threads(options.Threads);
        torch.manual_seed(options.Seed);
        var shuffler = new Random(options.Seed);
        var model = ModelFactory.Create(architecture, training.Length, training.RhythmCount);
        try
        {
            if (options.StandardiseFeatures && training.RhythmCount > 0) model.Standardisation = training.FeatureStandardisation();
            return Run(model, training, validation, options, shuffler, progress, cancellation);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static TrainingResult Run(
        BeatClassifier model, BeatSet training, BeatSet validation, TrainingOptions options, Random shuffler,
        IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var labels = training.Labels;
        var counts = training.ClassCounts();
        var weights = ClassWeights(counts, options.Balancing == ClassBalancing.None ? 0 : options.BalancingStrength, options.MaxClassWeight);
        using var classWeights = options.Balancing == ClassBalancing.WeightedLoss ? tensor(weights) : null;
        using var optimizer = new AdamOptimizer(model.parameters(), options.LearningRate, options.WeightDecay);
        var cycle = new ShuffledCycle(training.Count, shuffler);
        using var average = options.WeightAverageDecay > 0 ? new WeightAverage(model, options.WeightAverageDecay) : null;
        // What is validated and kept: the averaged weights when averaging, else the trained ones.
        var judged = average?.Average ?? model;
        var history = new List<EpochReport>();
        byte[]? bestWeights = null;
        EvaluationResult? bestValidation = null;
        var bestScore = double.NegativeInfinity;
        var bestEpoch = 0;

        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            var epochClock = Stopwatch.StartNew();
            var rate = LearningRateAt(options, epoch);
            optimizer.LearningRate = rate;

            var epochBeats = options.EpochBeats == 0 ? training.Count : options.EpochBeats;
            var order = options.Balancing == ClassBalancing.Resample
                ? WeightedDraw(labels, counts, weights, epochBeats, shuffler)
                : cycle.Next(epochBeats);
            var batches = (order.Length + options.BatchSize - 1) / options.BatchSize;
            model.train();
            double lossSum = 0;
            long correct = 0, seen = 0;
            for (var b = 0; b < batches; b++)
            {
                cancellation.ThrowIfCancellationRequested();
                var span = order.AsSpan(b * options.BatchSize, Math.Min(options.BatchSize, order.Length - b * options.BatchSize));
                // BatchNorm cannot normalise a batch of one: the stray last beat waits for the next epoch's shuffle.
                if (span.Length < 2) continue;
                using var scope = NewDisposeScope();
                var (waveform, rhythm, target) = training.Batch(span);
                optimizer.ZeroGrad();
                var logits = model.forward(options.Augmentation.Apply(waveform), options.Augmentation.ApplyToRhythm(rhythm));
                var loss = nn.functional.cross_entropy(logits, target, classWeights);
                loss.backward();
                optimizer.Step();
                average?.Update();
                lossSum += loss.item<float>() * span.Length;
                correct += logits.argmax(1).eq(target).sum().item<long>();
                seen += span.Length;
                progress?.Report(new TrainingProgress(epoch, options.Epochs, b + 1, batches, null));
            }

            var validationResult = Evaluator.Evaluate(judged, validation);
            var score = Score(validationResult, options.Selection);
            var improved = score > bestScore;
            if (improved)
            {
                bestScore = score;
                bestEpoch = epoch;
                bestValidation = validationResult;
                bestWeights = Snapshot(judged);
            }
            var report = new EpochReport(epoch, options.Epochs, rate, lossSum / Math.Max(1, seen), (double)correct / Math.Max(1, seen),
                validationResult, score, improved, epochClock.Elapsed);
            history.Add(report);
            progress?.Report(new TrainingProgress(epoch, options.Epochs, batches, batches, report));
            if (options.Patience > 0 && epoch - bestEpoch >= options.Patience) break;
        }

        Restore(model, bestWeights!);
        model.eval();
        return new TrainingResult(model, history.Count, bestEpoch, bestValidation!, history, clock.Elapsed);
    }

    /// <summary>
    /// Per-class weights (n_max / n_c)^strength, capped at <paramref name="maxWeight"/>, 0 for absent classes,
    /// scaled so that the beats' average weight is 1 (the loss keeps the scale of the unweighted one).
    /// </summary>
    internal static float[] ClassWeights(IReadOnlyList<int> counts, double strength, double maxWeight)
    {
        var largest = counts.Max();
        var raw = counts.Select(n => n == 0 ? 0.0 : Math.Min(maxWeight, Math.Pow((double)largest / n, strength))).ToArray();
        var mean = counts.Select((n, c) => n * raw[c]).Sum() / counts.Sum();
        return [.. raw.Select(w => (float)(w / mean))];
    }

    internal static double LearningRateAt(TrainingOptions options, int epoch)
    {
        if (options.Epochs == 1) return options.LearningRate;
        var t = (epoch - 1) / (double)(options.Epochs - 1);
        var floor = options.FinalLearningRateFraction;
        return options.LearningRate * (floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * t)));
    }

    internal static double Score(EvaluationResult result, SelectionMetric metric) => metric switch
    {
        SelectionMetric.MacroF1 => result.MacroF1 ?? 0,
        SelectionMetric.VentricularF1 => result[AamiClass.V].F1 ?? 0,
        SelectionMetric.Accuracy => result.Accuracy,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    /// <summary>
    /// Epochs of any size that still visit every beat equally often: takes the next beats of a shuffled
    /// permutation and reshuffles whenever it runs out.
    /// </summary>
    private sealed class ShuffledCycle(int count, Random random)
    {
        private readonly int[] permutation = Enumerable.Range(0, count).ToArray();
        private int position = count;

        public int[] Next(int size)
        {
            var order = new int[size];
            for (var i = 0; i < size; i++)
            {
                if (position == permutation.Length)
                {
                    random.Shuffle(permutation);
                    position = 0;
                }
                order[i] = permutation[position++];
            }
            return order;
        }
    }

    /// <summary><paramref name="size"/> beats drawn with replacement, class c with probability ∝ n_c · w_c.</summary>
    private static int[] WeightedDraw(IReadOnlyList<AamiClass> labels, int[] counts, float[] weights, int size, Random random)
    {
        var byClass = Enumerable.Range(0, Aami.ClassCount).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < labels.Count; i++) byClass[(int)labels[i]].Add(i);
        var mass = counts.Select((n, c) => n * (double)weights[c]).ToArray();
        var total = mass.Sum();
        var order = new int[size];
        for (var i = 0; i < order.Length; i++)
        {
            var u = random.NextDouble() * total;
            var c = 0;
            while (c < mass.Length - 1 && (u >= mass[c] || mass[c] == 0)) u -= mass[c++];
            var pool = byClass[c];
            order[i] = pool[random.Next(pool.Count)];
        }
        return order;
    }

    private static byte[] Snapshot(BeatClassifier model)
    {
        using var stream = new MemoryStream();
        model.save(stream);
        return stream.ToArray();
    }

    private static void Restore(BeatClassifier model, byte[] weights)
    {
        using var stream = new MemoryStream(weights, writable: false);
        model.load(stream);
    }
}
