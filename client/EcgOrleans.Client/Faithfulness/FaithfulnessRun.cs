using System.Diagnostics;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Faithfulness;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

namespace EcgOrleans.Client.Faithfulness;

/// <summary>The work of <c>ecg faithfulness</c> for one checkpoint: the sample's curves per method and class, and the sanity check.</summary>
internal static class FaithfulnessRun
{
    /// <summary>Beats per call of the waveform test (its methods and curves expand each beat into tens of rows).</summary>
    private const int BeatsPerPass = 64;

    public static ModelFaithfulness Of(string path, LoadedCheckpoint loaded, BeatSet beats, IReadOnlyList<SaliencyMethodKind> kinds,
        SaliencyTarget target, int perClass, int sanityPerClass, int steps, int seed, Action<string> progress)
    {
        var clock = Stopwatch.StartNew();
        var model = loaded.Model;
        Prepare(model);
        var representation = BeatRepresentation.Parse(loaded.Metadata.Representation);
        var sample = StratifiedSample.Of(beats.Labels, perClass, seed);
        var labels = sample.Select(i => beats.Labels[i]).ToArray();
        var (waveform, rhythm, reference) = beats.Batch(sample);
        var targets = Targets(model, waveform, rhythm, reference, target);
        var options = new WaveformFaithfulnessOptions(Steps: steps, Seed: seed);

        var rows = new List<MethodClassFaithfulness>();
        foreach (var kind in kinds)
        {
            var method = SaliencyMethods.Create(kind, SaliencyOptions.Default with { Seed = seed });
            var curves = new List<WaveformCurves>();
            for (var start = 0; start < sample.Length; start += BeatsPerPass)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(BeatsPerPass, sample.Length - start);
                curves.Add(WaveformFaithfulness.Run(model, method, waveform.narrow(0, start, count), rhythm.narrow(0, start, count),
                    targets.narrow(0, start, count), options with { Seed = seed + start }));
            }
            rows.AddRange(PerClass(method.Name, curves, labels, representation));
            progress($"{Path.GetFileName(path)}: {method.Name} done ({clock.Elapsed.TotalSeconds:F0} s)");
        }

        SanityReport? sanity = null;
        if (sanityPerClass > 0)
        {
            // The sanity sample is a subset of the main one (same seed, fewer per class): a prefix of each class's shuffle.
            var subset = StratifiedSample.Of(beats.Labels, sanityPerClass, seed);
            var (w, r, reference2) = beats.Batch(subset);
            var t = Targets(model, w, r, reference2, target);
            // The cascade destroys the weights it is given: a fresh copy of the checkpoint's model.
            using var copy = Checkpoint.Load(path).Model;
            Prepare(copy);
            var methods = kinds.Select(k => SaliencyMethods.Create(k, SaliencyOptions.Default with { Seed = seed })).ToList();
            var stepsDone = ModelRandomisationTest.Run(copy, methods, w, r, t, seed);
            sanity = new SanityReport(subset.Length, Counts(subset.Select(i => beats.Labels[i])),
                [.. stepsDone.Select(s => new SanityStep(s.Layer,
                    s.MeanSpearman.ToDictionary(p => p.Key, p => double.IsFinite(p.Value) ? Math.Round(p.Value, 4) : (double?)null),
                    s.Undefined))]);
            progress($"{Path.GetFileName(path)}: sanity check done ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        return new ModelFaithfulness(path, loaded.Metadata.Architecture, representation.Name, representation.SamplingFrequency,
            representation.SamplesBeforeR, Counts(labels), rows, sanity, Math.Round(clock.Elapsed.TotalSeconds, 1));
    }

    /// <summary>Eval mode, weights frozen: maps need input gradients only (and are about a third faster without weight gradients).</summary>
    private static void Prepare(BeatClassifier model)
    {
        model.eval();
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
    }

    /// <summary>The annotated class, or the class the model decides for the beat with its real features.</summary>
    private static Tensor Targets(BeatClassifier model, Tensor waveform, Tensor rhythm, Tensor reference, SaliencyTarget target)
    {
        if (target == SaliencyTarget.Reference) return reference;
        using var noGrad = no_grad();
        return model.Decide(model.forward(waveform, rhythm));
    }

    public static Dictionary<string, int> Counts(IEnumerable<AamiClass> labels)
    {
        var list = labels.ToList();
        return Aami.Classes.ToDictionary(c => c.ToString(), c => list.Count(l => l == c));
    }

    /// <summary>Per AAMI class: mean areas, win rates, mean curves and mean wave shares; a class with no beats says so.</summary>
    public static IEnumerable<MethodClassFaithfulness> PerClass(string method, IReadOnlyList<WaveformCurves> batches, IReadOnlyList<AamiClass> labels,
        BeatRepresentation representation)
    {
        var fractions = batches[0].Fractions;
        var deletionSaliency = batches.SelectMany(b => b.DeletionBySaliency).ToArray();
        var deletionRandom = batches.SelectMany(b => b.DeletionByRandom).ToArray();
        var insertionSaliency = batches.SelectMany(b => b.InsertionBySaliency).ToArray();
        var insertionRandom = batches.SelectMany(b => b.InsertionByRandom).ToArray();
        var relevance = batches.SelectMany(b => b.WaveformRelevance).ToArray();
        foreach (var aami in Aami.Classes)
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == aami).ToArray();
            if (members.Length == 0)
            {
                yield return new MethodClassFaithfulness(method, aami.ToString(), 0, null, null, null, null, null, "no beats of this class in the sample");
                continue;
            }
            yield return new MethodClassFaithfulness(method, aami.ToString(), members.Length,
                Math.Round(members.Average(i => deletionSaliency[i][0]), 5), Math.Round(members.Average(i => deletionSaliency[i][^1]), 5),
                Pair(fractions, members, deletionSaliency, deletionRandom, lowerIsBetter: true),
                Pair(fractions, members, insertionSaliency, insertionRandom, lowerIsBetter: false),
                MeanShares(members.Select(i => relevance[i]), representation), null);
        }
    }

    private static CurvePair Pair(double[] fractions, int[] members, double[][] bySaliency, double[][] byRandom, bool lowerIsBetter)
    {
        var saliencyAreas = members.Select(i => CurveArea.Trapezoid(fractions, bySaliency[i])).ToArray();
        var randomAreas = members.Select(i => CurveArea.Trapezoid(fractions, byRandom[i])).ToArray();
        var wins = saliencyAreas.Zip(randomAreas, (s, r) => lowerIsBetter ? s < r : s > r).Count(w => w);
        return new CurvePair(Math.Round(saliencyAreas.Average(), 5), Math.Round(randomAreas.Average(), 5), Math.Round(wins / (double)members.Length, 4),
            MeanCurve(members, bySaliency), MeanCurve(members, byRandom));
    }

    private static double[] MeanCurve(int[] members, double[][] curves) =>
        [.. Enumerable.Range(0, curves[0].Length).Select(j => Math.Round(members.Average(i => curves[i][j]), 5))];

    /// <summary>Each window's share averaged over the beats (each beat weighs the same, as in a class map).</summary>
    public static IReadOnlyList<WaveShare> MeanShares(IEnumerable<float[]> maps, BeatRepresentation representation)
    {
        var perBeat = maps.Select(m => WaveWindows.Shares(m, representation.SamplesBeforeR, representation.SamplingFrequency)).ToList();
        return [.. WaveWindows.All.Select((window, k) =>
        {
            var shares = perBeat.Select(s => s[k].Share).OfType<double>().ToList();
            return new WaveShare(window.Name, window.StartMs, window.EndMs,
                shares.Count == 0 ? null : Math.Round(shares.Average(), 4), perBeat[0][k].EvenShare is { } even ? Math.Round(even, 4) : null);
        })];
    }
}
