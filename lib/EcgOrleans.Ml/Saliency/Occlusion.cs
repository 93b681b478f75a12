using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Saliency;

/// <summary>
/// Occlusion (Zeiler and Fergus 2014), in 1-D: slide a window of <see cref="Window"/> samples with step
/// <see cref="Stride"/> over the waveform, set it to <see cref="Baseline"/>, and record how much the target logit
/// drops. A sample's attribution is the mean drop over the windows that cover it (a last window is aligned with
/// the end so that every sample is covered). Each rhythm feature is occluded on its own. Forward passes only,
/// every occluded copy of the batch in as few passes as <see cref="MaxRowsPerPass"/> allows.
/// </summary>
public sealed class Occlusion : ISaliencyMethod
{
    public const string MethodName = "occlusion";

    public Occlusion(int window = 16, int stride = 8, float baseline = 0, int maxRowsPerPass = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (!float.IsFinite(baseline)) throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "must be finite");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRowsPerPass, 1);
        Window = window;
        Stride = stride;
        Baseline = baseline;
        MaxRowsPerPass = maxRowsPerPass;
    }

    public int Window { get; }

    public int Stride { get; }

    public float Baseline { get; }

    /// <summary>Rows (occluded copies x beats) per forward pass; bounds memory.</summary>
    public int MaxRowsPerPass { get; }

    public string Name => MethodName;

    /// <summary>Start of every window over a waveform of <paramref name="length"/> samples.</summary>
    public IReadOnlyList<int> WindowStarts(int length)
    {
        if (Window >= length) return [0];
        var starts = new List<int>();
        for (var s = 0; s + Window <= length; s += Stride) starts.Add(s);
        if (starts[^1] + Window < length) starts.Add(length - Window);
        return starts;
    }

    public SaliencyResult Attribute(BeatClassifier model, Tensor waveform, Tensor rhythm, SaliencyTargets targets)
    {
        using var noGrad = no_grad();
        var logits = model.forward(waveform, rhythm);
        var target = targets.Resolve(model, logits);
        var clean = logits.gather(1, target.unsqueeze(1)).squeeze(1);

        var batch = waveform.shape[0];
        var length = (int)waveform.shape[2];
        var features = (int)rhythm.shape[1];

        // Waveform copies: mask [P, L] is 1 inside window p.
        var starts = WindowStarts(length);
        var waveMask = WindowMask(starts, length).to(waveform.dtype).to(waveform.device);
        var waveOccluded = waveMask.to_type(ScalarType.Bool);
        var waveDrops = Drops(model, target, clean, starts.Count, batch, copy =>
        {
            var mask = waveOccluded.narrow(0, copy.Start, copy.Count).view(copy.Count, 1, 1, length);
            var w = waveform.unsqueeze(0).Filled(mask, Baseline).reshape(copy.Count * batch, 1, length);
            return (w, rhythm.repeat(copy.Count, 1));
        });
        // Not sum(0): a literal 0 converts to ScalarType and would pick the whole-tensor sum overload.
        var coverage = waveMask.sum([0]);
        var waveAttribution = waveDrops.t().matmul(waveMask) / coverage;

        // Rhythm copies: copy i occludes feature i.
        var rhythmAttribution = zeros_like(rhythm);
        if (features > 0)
        {
            var identity = eye(features, dtype: ScalarType.Bool, device: rhythm.device);
            var rhythmDrops = Drops(model, target, clean, features, batch, copy =>
            {
                var mask = identity.narrow(0, copy.Start, copy.Count).view(copy.Count, 1, features);
                var r = rhythm.unsqueeze(0).Filled(mask, Baseline).reshape(copy.Count * batch, features);
                return (waveform.repeat(copy.Count, 1, 1), r);
            });
            rhythmAttribution = rhythmDrops.t();
        }
        return new SaliencyResult(logits, target, SaliencyMaps.Concatenate(waveAttribution, rhythmAttribution));
    }

    /// <summary>Drop of the target logit for every copy and beat: [copies, B].</summary>
    private Tensor Drops(BeatClassifier model, Tensor target, Tensor clean, int copies, long batch,
        Func<(int Start, int Count), (Tensor Waveform, Tensor Rhythm)> occluded)
    {
        var drops = new List<Tensor>();
        foreach (var chunk in InputGradients.CopyChunks(copies, batch, MaxRowsPerPass))
        {
            var (w, r) = occluded(chunk);
            var logits = model.forward(w, r).view(chunk.Count, batch, -1);
            var occludedLogit = logits.gather(2, target.view(1, batch, 1).expand(chunk.Count, batch, 1)).squeeze(2);
            drops.Add(clean.unsqueeze(0).Minus(occludedLogit));
        }
        return cat(drops, 0);
    }

    private Tensor WindowMask(IReadOnlyList<int> starts, int length)
    {
        var mask = new float[starts.Count * length];
        for (var p = 0; p < starts.Count; p++)
            mask.AsSpan(p * length + starts[p], Math.Min(Window, length - starts[p])).Fill(1);
        return tensor(mask, [starts.Count, length]);
    }
}
