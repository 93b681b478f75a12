using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Ml.Saliency;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Faithfulness;

/// <summary>Settings of the deletion test.</summary>
/// <param name="Steps">k: inputs are removed in k equal steps, from none to all.</param>
/// <param name="Baseline">The value a removed input is set to.</param>
/// <param name="Seed">Seed of the random removal orders.</param>
/// <param name="MaxRowsPerPass">Most rows (deleted copies x beats) per forward pass.</param>
public sealed record DeletionOptions(int Steps = 20, float Baseline = 0, int Seed = 1, int MaxRowsPerPass = 8192)
{
    public static DeletionOptions Default { get; } = new();
}

/// <summary>
/// Mean target-class probability after removing a fraction of each beat's inputs, in saliency order and in random
/// order, and the areas under both curves (trapezoid rule over the fraction removed, 0 to 1).
/// </summary>
/// <param name="Method">Saliency method's name.</param>
/// <param name="Beats">Beats the curves average over.</param>
/// <param name="Fractions">Fraction of the L + R inputs removed at each point (0 .. 1).</param>
/// <param name="SaliencyOrder">Mean target probability when the most salient inputs go first.</param>
/// <param name="RandomOrder">Mean target probability when inputs go in a random order.</param>
/// <param name="SaliencyArea">Mean area under the saliency-order curve (lower: the map found what matters).</param>
/// <param name="RandomArea">Mean area under the random-order curve.</param>
/// <param name="SaliencyWinRate">Fraction of beats whose saliency-order area is below their random-order area.</param>
public sealed record DeletionCurves(string Method, int Beats, double[] Fractions, double[] SaliencyOrder, double[] RandomOrder,
    double SaliencyArea, double RandomArea, double SaliencyWinRate)
{
    /// <summary>Random area minus saliency area: above 0 when the method beats random, about 0 when it does not.</summary>
    public double AreaDifference => RandomArea - SaliencyArea;

    /// <summary>Saliency area over random area: below 1 when the method beats random, about 1 when it does not.</summary>
    public double AreaRatio => SaliencyArea / RandomArea;
}

/// <summary>
/// The deletion test of saliency faithfulness (Samek et al. 2017; Petsiuk et al. 2018): if a map ranks the inputs
/// the model relies on first, removing them in that order makes the target probability fall faster than removing
/// them in a random order. A method no better than random shows an area difference near 0.
/// </summary>
public static class DeletionTest
{
    /// <summary>
    /// Runs the test on a batch. The model should be in eval mode (it is not changed). The target of every beat is the
    /// one the method explains (predicted class, decision bias included, or <paramref name="targets"/>'s reference class).
    /// </summary>
    /// <param name="waveform">[B, 1, L].</param>
    /// <param name="rhythm">[B, R].</param>
    public static DeletionCurves Run(BeatClassifier model, ISaliencyMethod method, Tensor waveform, Tensor rhythm,
        DeletionOptions? options = null, SaliencyTargets? targets = null)
    {
        var o = options ?? DeletionOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(o.Steps, 1, nameof(options));
        using var scope = NewDisposeScope();
        var result = method.Attribute(model, waveform, rhythm, targets ?? SaliencyTargets.Predicted);
        var batch = (int)waveform.shape[0];
        var length = (int)waveform.shape[2];
        var features = (int)rhythm.shape[1];
        var inputs = length + features;

        var saliencyRank = SaliencyMaps.NormalizePerBeat(result.Attributions).argsort(1, descending: true).argsort(1);
        var randomRank = tensor(RandomRanks(batch, inputs, o.Seed), [batch, inputs]);
        var fractions = Enumerable.Range(0, o.Steps + 1).Select(j => (double)j / o.Steps).ToArray();
        var removed = tensor(fractions.Select(f => (long)Math.Round(f * inputs)).ToArray());

        var values = cat([waveform.flatten(1), rhythm], 1);
        var saliencyCurves = Probabilities(model, values, saliencyRank, removed, result.Targets, length, o);
        var randomCurves = Probabilities(model, values, randomRank, removed, result.Targets, length, o);
        var saliencyAreas = Areas(saliencyCurves, fractions);
        var randomAreas = Areas(randomCurves, fractions);
        return new DeletionCurves(method.Name, batch, fractions,
            saliencyCurves.mean([1]).to(float64).data<double>().ToArray(),
            randomCurves.mean([1]).to(float64).data<double>().ToArray(),
            saliencyAreas.mean().to(float64).item<double>(),
            randomAreas.mean().to(float64).item<double>(),
            (saliencyAreas < randomAreas).to(float64).mean().item<double>());
    }

    /// <summary>Trapezoid area under curves [points, B] over <paramref name="fractions"/>: [B].</summary>
    private static Tensor Areas(Tensor curves, double[] fractions)
    {
        var widths = tensor(fractions.Zip(fractions.Skip(1), (a, b) => b - a).ToArray(), dtype: curves.dtype).unsqueeze(1);
        var heights = curves.narrow(0, 0, fractions.Length - 1).Plus(curves.narrow(0, 1, fractions.Length - 1)).Over(2);
        return (widths * heights).sum([0]);
    }

    /// <summary>Target probability [points, B] after removing the inputs ranked below each point's count.</summary>
    private static Tensor Probabilities(BeatClassifier model, Tensor values, Tensor rank, Tensor removed, Tensor targets, int length, DeletionOptions o)
    {
        using var inference = no_grad();
        var (batch, inputs) = (values.shape[0], values.shape[1]);
        var points = (int)removed.shape[0];
        var curves = new List<Tensor>();
        foreach (var (start, count) in InputGradients.CopyChunks(points, batch, o.MaxRowsPerPass))
        {
            var mask = rank.unsqueeze(0) < removed.narrow(0, start, count).view(count, 1, 1);
            var deleted = values.unsqueeze(0).Filled(mask, o.Baseline).reshape(count * batch, inputs);
            var w = deleted.narrow(1, 0, length).reshape(count * batch, 1, length);
            var r = deleted.narrow(1, length, inputs - length);
            // The probabilities the model reports (BeatScorer): softmax of the logits plus its decision bias.
            var probabilities = nn.functional.softmax(model.DecisionLogits(model.forward(w, r)), 1).view(count, batch, -1);
            curves.Add(probabilities.gather(2, targets.view(1, batch, 1).expand(count, batch, 1)).squeeze(2));
        }
        return cat(curves, 0).to(float64);
    }

    /// <summary>A uniformly random rank of every input of every beat (a permutation per beat).</summary>
    private static long[] RandomRanks(int batch, int inputs, int seed)
    {
        var random = new Random(seed);
        var ranks = new long[batch * inputs];
        for (var b = 0; b < batch; b++)
        {
            var beat = ranks.AsSpan(b * inputs, inputs);
            for (var i = 0; i < inputs; i++) beat[i] = i;
            random.Shuffle(beat);
        }
        return ranks;
    }
}
