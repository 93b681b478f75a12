using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Ml.Saliency;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Faithfulness;

/// <summary>Settings of the waveform-only deletion and insertion curves.</summary>
/// <param name="Steps">k: the curves have k + 1 points, at fractions 0, 1/k, ..., 1 of the waveform's samples.</param>
/// <param name="Baseline">The value a removed (or not yet inserted) sample takes: 0 is the level of a window beat,
/// whose baseline is removed and which is standardised to zero mean.</param>
/// <param name="Seed">Seed of the random orders (and of the random tie-breaks in saliency order).</param>
/// <param name="MaxRowsPerPass">Most rows (curve points x beats) per forward pass.</param>
public sealed record WaveformFaithfulnessOptions(int Steps = 32, float Baseline = 0, int Seed = 1, int MaxRowsPerPass = 4096)
{
    public static WaveformFaithfulnessOptions Default { get; } = new();
}

/// <summary>
/// One method's curves for a batch, per beat. Every curve is the probability of the beat's target class (softmax of the
/// logits plus the model's decision bias) at <see cref="Fractions"/>.
/// </summary>
/// <param name="Fractions">Fraction of the L waveform samples removed (deletion) or inserted (insertion) at each point.</param>
/// <param name="DeletionBySaliency">[B][points]: the most salient samples replaced by the baseline first.</param>
/// <param name="DeletionByRandom">[B][points]: samples replaced in a random order.</param>
/// <param name="InsertionBySaliency">[B][points]: from an all-baseline waveform, the most salient samples restored first.</param>
/// <param name="InsertionByRandom">[B][points]: restored in a random order.</param>
/// <param name="WaveformRelevance">[B][L]: |attribution| of each waveform sample, the order the curves follow.</param>
public sealed record WaveformCurves(string Method, double[] Fractions, double[][] DeletionBySaliency, double[][] DeletionByRandom,
    double[][] InsertionBySaliency, double[][] InsertionByRandom, float[][] WaveformRelevance)
{
    public int Beats => WaveformRelevance.Length;

    /// <summary>Area under each beat's curve (trapezoid rule over the fraction, 0 to 1).</summary>
    public double[] Areas(double[][] curves) => [.. curves.Select(c => CurveArea.Trapezoid(Fractions, c))];
}

/// <summary>
/// Deletion and insertion tests (Samek et al. 2017; Petsiuk et al. 2018) restricted to the waveform: the model's beat
/// features are held at their training means throughout (standardised, exactly 0), so the curves measure how well a
/// map ranks the waveform samples the model's convolutional path relies on, without the features' large say
/// (a zeroed standardised feature lies several spreads from its mean). The maps are computed on the same input the
/// curves perturb: the beat's waveform with neutral features.
/// A faithful map gives a lower deletion area and a higher insertion area than random order.
/// </summary>
public static class WaveformFaithfulness
{
    /// <summary>Runs both tests on a batch. The model should be in eval mode; it is not changed.</summary>
    /// <param name="waveform">[B, 1, L].</param>
    /// <param name="rhythm">[B, R]: only its shape is used; the features are replaced by <see cref="NeutralFeatures"/>.</param>
    /// <param name="targets">[B] class index (int64) whose probability the curves follow and the maps explain.</param>
    public static WaveformCurves Run(BeatClassifier model, ISaliencyMethod method, Tensor waveform, Tensor rhythm, Tensor targets,
        WaveformFaithfulnessOptions? options = null)
    {
        var o = options ?? WaveformFaithfulnessOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Steps, 1, nameof(options));
        ArgumentNullException.ThrowIfNull(method);
        using var scope = NewDisposeScope();
        var batch = (int)waveform.shape[0];
        var length = (int)waveform.shape[2];
        var neutral = NeutralFeatures(model, rhythm);
        var result = method.Attribute(model, waveform, neutral, new SaliencyTargets(SaliencyTarget.Reference, targets));
        var relevance = Rows(result.Attributions.narrow(1, 0, length).abs().to(float32), batch, length);

        var random = new Random(o.Seed);
        var saliencyRank = new long[batch * length];
        var randomRank = new long[batch * length];
        for (var b = 0; b < batch; b++)
        {
            var shuffled = Enumerable.Range(0, length).ToArray();
            random.Shuffle(shuffled);
            for (var i = 0; i < length; i++) randomRank[b * length + shuffled[i]] = i;
            // Ties (flat Grad-CAM or occlusion stretches, dead ReLU gradients) are broken by the random order, so a tie
            // never favours early or late samples.
            var row = relevance[b];
            var bySaliency = Enumerable.Range(0, length).OrderByDescending(i => row[i]).ThenBy(i => randomRank[b * length + i]).ToArray();
            for (var i = 0; i < length; i++) saliencyRank[b * length + bySaliency[i]] = i;
        }
        var fractions = Enumerable.Range(0, o.Steps + 1).Select(j => (double)j / o.Steps).ToArray();
        var counts = tensor(fractions.Select(f => (long)Math.Round(f * length)).ToArray());
        var salient = tensor(saliencyRank, [batch, length]);
        var shuffledRank = tensor(randomRank, [batch, length]);
        return new WaveformCurves(method.Name, fractions,
            Curves(model, waveform, neutral, salient, counts, result.Targets, deletion: true, o),
            Curves(model, waveform, neutral, shuffledRank, counts, result.Targets, deletion: true, o),
            Curves(model, waveform, neutral, salient, counts, result.Targets, deletion: false, o),
            Curves(model, waveform, neutral, shuffledRank, counts, result.Targets, deletion: false, o),
            relevance);
    }

    /// <summary>
    /// Beat features [B, R] at the model's training means (its <see cref="BeatClassifier.Standardisation"/> centre, which
    /// the model maps to 0); a model that does not standardise gets the mean of the given beats' features instead.
    /// </summary>
    public static Tensor NeutralFeatures(BeatClassifier model, Tensor rhythm)
    {
        var (batch, features) = (rhythm.shape[0], rhythm.shape[1]);
        if (features == 0) return rhythm;
        var centre = model.Standardisation is { } s
            ? tensor(s.Mean.ToArray(), dtype: rhythm.dtype, device: rhythm.device)
            : rhythm.mean([0]);
        return centre.unsqueeze(0).expand(batch, features).contiguous();
    }

    /// <summary>Target probability per beat and point, [B][points]: samples ranked below the point's count are removed
    /// (deletion) or are the only ones present (insertion).</summary>
    private static double[][] Curves(BeatClassifier model, Tensor waveform, Tensor neutral, Tensor rank, Tensor counts, Tensor targets,
        bool deletion, WaveformFaithfulnessOptions o)
    {
        using var scope = NewDisposeScope();
        using var inference = no_grad();
        var batch = waveform.shape[0];
        var length = waveform.shape[2];
        var points = (int)counts.shape[0];
        var flat = waveform.reshape(batch, length);
        var parts = new List<Tensor>();
        foreach (var (start, count) in InputGradients.CopyChunks(points, batch, o.MaxRowsPerPass))
        {
            var firstRanks = rank.unsqueeze(0) < counts.narrow(0, start, count).view(count, 1, 1);
            var baseline = deletion ? firstRanks : firstRanks.logical_not();
            var w = flat.unsqueeze(0).Filled(baseline, o.Baseline).reshape(count * batch, 1, length);
            var r = neutral.unsqueeze(0).expand(count, batch, neutral.shape[1]).reshape(count * batch, neutral.shape[1]);
            var probabilities = nn.functional.softmax(model.DecisionLogits(model.forward(w, r)), 1).view(count, batch, -1);
            parts.Add(probabilities.gather(2, targets.view(1, batch, 1).expand(count, batch, 1)).squeeze(2));
        }
        var curves = cat(parts, 0).t().to(float64).contiguous().data<double>().ToArray();
        return [.. Enumerable.Range(0, (int)batch).Select(b => curves.AsSpan(b * points, points).ToArray())];
    }

    private static float[][] Rows(Tensor values, int batch, int length)
    {
        var data = values.contiguous().data<float>().ToArray();
        return [.. Enumerable.Range(0, batch).Select(b => data.AsSpan(b * length, length).ToArray())];
    }
}
