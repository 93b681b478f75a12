using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Faithfulness;

/// <summary>
/// One step of the cascade: every layer from the output down to <paramref name="Layer"/> re-initialised, and for each
/// method the mean over beats of the Spearman rank correlation between its map of the trained model and of this one.
/// </summary>
/// <param name="Undefined">Per method: beats left out of the mean because one of the two maps was constant.</param>
public sealed record RandomisationStep(string Layer, IReadOnlyDictionary<string, double> MeanSpearman, IReadOnlyDictionary<string, int> Undefined);

/// <summary>
/// The model-randomisation sanity check of Adebayo et al. (2018): a map that explains the model must change when the
/// model's learnt weights are destroyed. Layers are re-initialised cumulatively from the output down
/// (<see cref="CascadingRandomisation"/>); after each, every method's maps are recomputed and compared with the trained
/// model's by Spearman rank correlation of the waveform samples' |attribution| (the paper's absolute-value variant). A
/// method whose correlation stays near 1 as the layers go is showing the input, not the model. Features are held at
/// their training means, as in <see cref="WaveformFaithfulness"/>.
/// </summary>
public static class ModelRandomisationTest
{
    /// <summary>
    /// Runs the cascade on <paramref name="model"/>, which it re-initialises layer by layer: give it a copy. The first
    /// step is the trained model itself ("none", correlation 1 unless a method is not deterministic).
    /// </summary>
    public static IReadOnlyList<RandomisationStep> Run(BeatClassifier model, IReadOnlyList<ISaliencyMethod> methods,
        Tensor waveform, Tensor rhythm, Tensor targets, int seed, int maxBeatsPerPass = 64)
    {
        ArgumentNullException.ThrowIfNull(methods);
        var original = methods.ToDictionary(m => m.Name, m => Maps(model, m, waveform, rhythm, targets, maxBeatsPerPass));
        var steps = new List<RandomisationStep> { Compare("none", model, methods, original, waveform, rhythm, targets, maxBeatsPerPass) };
        var layers = CascadingRandomisation.TopDown(model);
        for (var i = 0; i < layers.Count; i++)
        {
            CascadingRandomisation.Reinitialise(layers[i], seed + i);
            steps.Add(Compare(layers[i].Name, model, methods, original, waveform, rhythm, targets, maxBeatsPerPass));
        }
        return steps;
    }

    private static RandomisationStep Compare(string layer, BeatClassifier model, IReadOnlyList<ISaliencyMethod> methods,
        Dictionary<string, float[][]> original, Tensor waveform, Tensor rhythm, Tensor targets, int maxBeatsPerPass)
    {
        var means = new Dictionary<string, double>();
        var undefined = new Dictionary<string, int>();
        foreach (var method in methods)
        {
            var maps = Maps(model, method, waveform, rhythm, targets, maxBeatsPerPass);
            var rho = maps.Select((m, b) => SpearmanCorrelation.Of(original[method.Name][b], m)).ToArray();
            var defined = rho.Where(double.IsFinite).ToArray();
            means[method.Name] = defined.Length == 0 ? double.NaN : defined.Average();
            undefined[method.Name] = rho.Length - defined.Length;
        }
        return new RandomisationStep(layer, means, undefined);
    }

    /// <summary>|attribution| of each waveform sample, [B][L], in passes of at most <paramref name="maxBeatsPerPass"/> beats.</summary>
    public static float[][] Maps(BeatClassifier model, ISaliencyMethod method, Tensor waveform, Tensor rhythm, Tensor targets, int maxBeatsPerPass)
    {
        var batch = (int)waveform.shape[0];
        var length = (int)waveform.shape[2];
        var maps = new List<float[]>(batch);
        for (var start = 0; start < batch; start += maxBeatsPerPass)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(maxBeatsPerPass, batch - start);
            var w = waveform.narrow(0, start, count);
            var neutral = WaveformFaithfulness.NeutralFeatures(model, rhythm.narrow(0, start, count));
            var result = method.Attribute(model, w, neutral, new SaliencyTargets(SaliencyTarget.Reference, targets.narrow(0, start, count)));
            var data = result.Attributions.narrow(1, 0, length).abs().to(ScalarType.Float32).contiguous().data<float>().ToArray();
            for (var b = 0; b < count; b++) maps.Add(data.AsSpan(b * length, length).ToArray());
        }
        return [.. maps];
    }
}
