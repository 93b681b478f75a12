using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Saliency;

/// <summary>
/// SmoothGrad (Smilkov et al. 2017): the mean gradient of the target logit over <see cref="Samples"/> noisy copies
/// of each beat. The noise SD is <see cref="NoiseLevel"/> times the beat's own range, taken separately for the
/// waveform and for the rhythm features (their scales differ). The target is the class of the clean beat.
/// </summary>
/// <remarks>
/// Each beat's noise comes from a generator seeded by <see cref="Seed"/> and the beat's values, not by its place
/// in the batch: a beat gets the same map whichever batch it arrives in, so class maps do not depend on how
/// beats were batched.
/// </remarks>
public sealed class SmoothGrad : ISaliencyMethod
{
    public const string MethodName = "smoothgrad";

    public SmoothGrad(int samples = 25, double noiseLevel = 0.15, int seed = 0, int maxRowsPerPass = 2048)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        if (!double.IsFinite(noiseLevel) || noiseLevel < 0)
            throw new ArgumentOutOfRangeException(nameof(noiseLevel), noiseLevel, "must be a finite fraction >= 0 of the beat's range");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRowsPerPass, 1);
        Samples = samples;
        NoiseLevel = noiseLevel;
        Seed = seed;
        MaxRowsPerPass = maxRowsPerPass;
    }

    public int Samples { get; }

    public double NoiseLevel { get; }

    public int Seed { get; }

    /// <summary>Rows (noisy copies x beats) per forward/backward pass; bounds memory.</summary>
    public int MaxRowsPerPass { get; }

    public string Name => MethodName;

    public SaliencyResult Attribute(BeatClassifier model, Tensor waveform, Tensor rhythm, SaliencyTargets targets)
    {
        Tensor logits;
        using (no_grad()) logits = model.forward(waveform, rhythm);
        var target = targets.Resolve(model, logits);

        var batch = waveform.shape[0];
        var length = waveform.shape[2];
        var (noiseW, noiseR) = Noise(waveform, rhythm);
        var sumW = zeros_like(waveform);
        var sumR = zeros_like(rhythm);
        foreach (var (start, count) in InputGradients.CopyChunks(Samples, batch, MaxRowsPerPass))
        {
            var w = waveform.unsqueeze(0).Plus(noiseW.narrow(0, start, count)).reshape(count * batch, 1, length);
            var r = rhythm.unsqueeze(0).Plus(noiseR.narrow(0, start, count)).reshape(count * batch, rhythm.shape[1]);
            var (_, _, gw, gr) = InputGradients.Of(model, w, r, _ => target.repeat(count));
            sumW = sumW.Plus(gw.reshape(count, batch, 1, length).sum([0]));
            sumR = sumR.Plus(gr.reshape(count, batch, rhythm.shape[1]).sum([0]));
        }
        return new SaliencyResult(logits, target, SaliencyMaps.Concatenate(sumW.Over(Samples), sumR.Over(Samples)));
    }

    /// <summary>Noise [S, B, 1, L] and [S, B, R] in the input's dtype.</summary>
    private (Tensor Waveform, Tensor Rhythm) Noise(Tensor waveform, Tensor rhythm)
    {
        var batch = (int)waveform.shape[0];
        var length = (int)waveform.shape[2];
        var features = (int)rhythm.shape[1];
        var w = waveform.detach().to(float32).cpu().data<float>().ToArray();
        var r = rhythm.detach().to(float32).cpu().data<float>().ToArray();
        var noiseW = new float[Samples * batch * length];
        var noiseR = new float[Samples * batch * features];
        for (var b = 0; b < batch; b++)
        {
            var beatW = w.AsSpan(b * length, length);
            var beatR = r.AsSpan(b * features, features);
            var random = new Random(BeatSeed(Seed, beatW, beatR));
            var sigmaW = NoiseLevel * Range(beatW);
            var sigmaR = NoiseLevel * Range(beatR);
            for (var s = 0; s < Samples; s++)
            {
                FillGaussian(random, noiseW.AsSpan((s * batch + b) * length, length), sigmaW);
                FillGaussian(random, noiseR.AsSpan((s * batch + b) * features, features), sigmaR);
            }
        }
        return (
            tensor(noiseW, [Samples, batch, 1, length]).to(waveform.dtype).to(waveform.device),
            tensor(noiseR, [Samples, batch, features]).to(rhythm.dtype).to(rhythm.device));
    }

    private static double Range(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return 0;
        float min = values[0], max = values[0];
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return max - min;
    }

    /// <summary>FNV-1a over the beat's bits, mixed with the method's seed.</summary>
    internal static int BeatSeed(int seed, ReadOnlySpan<float> waveform, ReadOnlySpan<float> rhythm)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var v in waveform) hash = (hash ^ BitConverter.SingleToUInt32Bits(v)) * 16777619u;
        foreach (var v in rhythm) hash = (hash ^ BitConverter.SingleToUInt32Bits(v)) * 16777619u;
        return (int)hash;
    }

    /// <summary>Box-Muller normals with SD <paramref name="sigma"/>.</summary>
    private static void FillGaussian(Random random, Span<float> target, double sigma)
    {
        for (var i = 0; i < target.Length; i += 2)
        {
            var radius = sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            target[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < target.Length) target[i + 1] = (float)(radius * Math.Sin(angle));
        }
    }
}
