using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Saliency;

/// <summary>How the path integral of Integrated Gradients is approximated.</summary>
public enum IntegrationRule
{
    /// <summary>Left Riemann sum: alpha = 0, 1/m, ..., (m-1)/m.</summary>
    LeftRiemann,

    /// <summary>Right Riemann sum: alpha = 1/m, ..., 1 (Sundararajan et al.'s formula).</summary>
    RightRiemann,

    /// <summary>Midpoint Riemann sum: alpha = (k + 1/2)/m.</summary>
    MidpointRiemann,

    /// <summary>Trapezoid rule: alpha = 0, 1/m, ..., 1 with half weights at both ends (m + 1 gradients).</summary>
    Trapezoid,
}

/// <summary>
/// Integrated Gradients (Sundararajan et al. 2017): (x - x') times the mean gradient of the target logit along the
/// straight path from a constant baseline x' (zero by default) to x. Completeness: the attributions of a beat sum
/// to logit(x) - logit(x') up to the integration error. The target is the class of the clean beat.
/// </summary>
public sealed class IntegratedGradients : ISaliencyMethod
{
    public const string MethodName = "ig";

    public IntegratedGradients(int steps = 32, IntegrationRule rule = IntegrationRule.Trapezoid, float baseline = 0, int maxRowsPerPass = 2048)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (!Enum.IsDefined(rule)) throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown integration rule");
        if (!float.IsFinite(baseline)) throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "must be finite");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRowsPerPass, 1);
        Steps = steps;
        Rule = rule;
        Baseline = baseline;
        MaxRowsPerPass = maxRowsPerPass;
    }

    public int Steps { get; }

    public IntegrationRule Rule { get; }

    public float Baseline { get; }

    /// <summary>Rows (path points x beats) per forward/backward pass; bounds memory.</summary>
    public int MaxRowsPerPass { get; }

    public string Name => MethodName;

    /// <summary>The path points alpha and their quadrature weights (summing to 1).</summary>
    public (double[] Alphas, double[] Weights) Quadrature()
    {
        double m = Steps;
        return Rule switch
        {
            IntegrationRule.LeftRiemann => (Points(Steps, k => k / m), Uniform(Steps)),
            IntegrationRule.RightRiemann => (Points(Steps, k => (k + 1) / m), Uniform(Steps)),
            IntegrationRule.MidpointRiemann => (Points(Steps, k => (k + 0.5) / m), Uniform(Steps)),
            _ => (Points(Steps + 1, k => k / m), Points(Steps + 1, k => k == 0 || k == Steps ? 0.5 / m : 1 / m)),
        };

        static double[] Points(int count, Func<int, double> at) => [.. Enumerable.Range(0, count).Select(at)];
        static double[] Uniform(int count) => Points(count, _ => 1.0 / count);
    }

    public SaliencyResult Attribute(BeatClassifier model, Tensor waveform, Tensor rhythm, SaliencyTargets targets)
    {
        Tensor logits;
        using (no_grad()) logits = model.forward(waveform, rhythm);
        var target = targets.Resolve(model, logits);

        var batch = waveform.shape[0];
        var length = waveform.shape[2];
        var features = rhythm.shape[1];
        var (alphas, weights) = Quadrature();
        var deltaW = waveform.Minus(Baseline);
        var deltaR = rhythm.Minus(Baseline);
        var sumW = zeros_like(waveform);
        var sumR = zeros_like(rhythm);
        foreach (var (start, count) in InputGradients.CopyChunks(alphas.Length, batch, MaxRowsPerPass))
        {
            var alpha = tensor(alphas[start..(start + count)], dtype: waveform.dtype, device: waveform.device);
            var weight = tensor(weights[start..(start + count)], dtype: waveform.dtype, device: waveform.device);
            var w = (alpha.view(count, 1, 1, 1) * deltaW.unsqueeze(0)).Plus(Baseline).reshape(count * batch, 1, length);
            var r = (alpha.view(count, 1, 1) * deltaR.unsqueeze(0)).Plus(Baseline).reshape(count * batch, features);
            var (_, _, gw, gr) = InputGradients.Of(model, w, r, _ => target.repeat(count));
            sumW = sumW.Plus((weight.view(count, 1, 1, 1) * gw.reshape(count, batch, 1, length)).sum([0]));
            sumR = sumR.Plus((weight.view(count, 1, 1) * gr.reshape(count, batch, features)).sum([0]));
        }
        return new SaliencyResult(logits, target, SaliencyMaps.Concatenate(deltaW * sumW, deltaR * sumR));
    }
}
