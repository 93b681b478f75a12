namespace EcgOrleans.Ml.Saliency;

/// <summary>Settings of the saliency methods that have any; each method reads only its own.</summary>
/// <param name="SmoothGradSamples">SmoothGrad: noisy copies per beat.</param>
/// <param name="SmoothGradNoiseLevel">SmoothGrad: noise SD as a fraction of the beat's range.</param>
/// <param name="IntegratedGradientsSteps">Integrated Gradients: number of path intervals m.</param>
/// <param name="IntegrationRule">Integrated Gradients: quadrature rule.</param>
/// <param name="OcclusionWindow">Occlusion: window length in samples.</param>
/// <param name="OcclusionStride">Occlusion: step between windows in samples.</param>
/// <param name="Baseline">Integrated Gradients and occlusion: the constant input value standing for "absent".</param>
/// <param name="Seed">SmoothGrad: noise seed.</param>
/// <param name="MaxRowsPerPass">Methods that expand the batch: most rows per forward/backward pass (memory bound).</param>
public sealed record SaliencyOptions(
    int SmoothGradSamples = 25,
    double SmoothGradNoiseLevel = 0.15,
    int IntegratedGradientsSteps = 32,
    IntegrationRule IntegrationRule = IntegrationRule.Trapezoid,
    int OcclusionWindow = 16,
    int OcclusionStride = 8,
    float Baseline = 0,
    int Seed = 0,
    int MaxRowsPerPass = 2048)
{
    public static SaliencyOptions Default { get; } = new();
}

/// <summary>The saliency methods by name.</summary>
public static class SaliencyMethods
{
    /// <summary>Every name <see cref="Create"/> accepts, vanilla gradient (the paper's method) first.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [VanillaGradient.MethodName, GradientTimesInput.MethodName, SmoothGrad.MethodName, IntegratedGradients.MethodName, Occlusion.MethodName, GradCam1d.MethodName];

    /// <summary>A method by name (case-insensitive): vanilla, gradxinput, smoothgrad, ig, occlusion or gradcam.</summary>
    /// <exception cref="ArgumentException">The name is none of those.</exception>
    public static ISaliencyMethod Create(string name, SaliencyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var o = options ?? SaliencyOptions.Default;
        return name.Trim().ToLowerInvariant() switch
        {
            VanillaGradient.MethodName => new VanillaGradient(),
            GradientTimesInput.MethodName => new GradientTimesInput(),
            SmoothGrad.MethodName => new SmoothGrad(o.SmoothGradSamples, o.SmoothGradNoiseLevel, o.Seed, o.MaxRowsPerPass),
            IntegratedGradients.MethodName => new IntegratedGradients(o.IntegratedGradientsSteps, o.IntegrationRule, o.Baseline, o.MaxRowsPerPass),
            Occlusion.MethodName => new Occlusion(o.OcclusionWindow, o.OcclusionStride, o.Baseline, o.MaxRowsPerPass),
            GradCam1d.MethodName => new GradCam1d(),
            _ => throw new ArgumentException($"unknown saliency method '{name}': use one of {string.Join(", ", Names)}", nameof(name)),
        };
    }
}
