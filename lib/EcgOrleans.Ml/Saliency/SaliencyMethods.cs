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

/// <summary>The saliency methods a run or a command can ask for; each has one name (<see cref="SaliencyMethods.Name"/>).</summary>
public enum SaliencyMethodKind
{
    /// <summary>"vanilla": the gradient of the target logit (the paper's method).</summary>
    Vanilla,

    /// <summary>"gradxinput": gradient times input.</summary>
    GradientTimesInput,

    /// <summary>"smoothgrad": gradients averaged over noisy copies.</summary>
    SmoothGrad,

    /// <summary>"ig": Integrated Gradients.</summary>
    IntegratedGradients,

    /// <summary>"occlusion": the logit's drop when a window is blanked.</summary>
    Occlusion,

    /// <summary>"gradcam": Grad-CAM on the last convolution.</summary>
    GradCam,
}

/// <summary>The saliency methods by name.</summary>
public static class SaliencyMethods
{
    /// <summary>Every kind, vanilla gradient (the paper's method) first.</summary>
    public static IReadOnlyList<SaliencyMethodKind> Kinds { get; } = Enum.GetValues<SaliencyMethodKind>();

    /// <summary>Every name <see cref="Parse"/> and <see cref="Create(string, SaliencyOptions?)"/> accept, in the order of <see cref="Kinds"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Kinds.Select(Name)];

    /// <summary>The method's one name: vanilla, gradxinput, smoothgrad, ig, occlusion or gradcam.</summary>
    public static string Name(SaliencyMethodKind kind) => kind switch
    {
        SaliencyMethodKind.Vanilla => VanillaGradient.MethodName,
        SaliencyMethodKind.GradientTimesInput => GradientTimesInput.MethodName,
        SaliencyMethodKind.SmoothGrad => SmoothGrad.MethodName,
        SaliencyMethodKind.IntegratedGradients => IntegratedGradients.MethodName,
        SaliencyMethodKind.Occlusion => Occlusion.MethodName,
        SaliencyMethodKind.GradCam => GradCam1d.MethodName,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a saliency method"),
    };

    /// <summary>Reads a method's name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is none of <see cref="Names"/>; the message lists them.</exception>
    public static SaliencyMethodKind Parse(string name) => NamedValues.Parse(name, "saliency method", Kinds, Name);

    /// <summary>A method by name (case-insensitive, surrounding spaces ignored): vanilla, gradxinput, smoothgrad, ig, occlusion or gradcam.</summary>
    /// <exception cref="ArgumentException">The name is none of those.</exception>
    public static ISaliencyMethod Create(string name, SaliencyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Create(Parse(name.Trim()), options);
    }

    public static ISaliencyMethod Create(SaliencyMethodKind kind, SaliencyOptions? options = null)
    {
        var o = options ?? SaliencyOptions.Default;
        return kind switch
        {
            SaliencyMethodKind.Vanilla => new VanillaGradient(),
            SaliencyMethodKind.GradientTimesInput => new GradientTimesInput(),
            SaliencyMethodKind.SmoothGrad => new SmoothGrad(o.SmoothGradSamples, o.SmoothGradNoiseLevel, o.Seed, o.MaxRowsPerPass),
            SaliencyMethodKind.IntegratedGradients => new IntegratedGradients(o.IntegratedGradientsSteps, o.IntegrationRule, o.Baseline, o.MaxRowsPerPass),
            SaliencyMethodKind.Occlusion => new Occlusion(o.OcclusionWindow, o.OcclusionStride, o.Baseline, o.MaxRowsPerPass),
            SaliencyMethodKind.GradCam => new GradCam1d(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a saliency method"),
        };
    }
}
