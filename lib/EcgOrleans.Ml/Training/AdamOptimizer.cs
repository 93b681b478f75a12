using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Training;

/// <summary>
/// Adam (Kingma and Ba 2015, with L2 weight decay added to the gradient), computed step for step as TorchSharp's
/// <c>optim.Adam</c> does, but with every <see cref="Scalar"/> held until LibTorch has read it.
/// </summary>
/// <remarks>
/// TorchSharp's own step makes its Scalars implicitly (the alpha of <c>add_</c>, the value of <c>addcmul_</c>
/// and <c>addcdiv_</c>), so nothing keeps them reachable during the native call; a garbage collection started by
/// another thread can finalise one while LibTorch reads it. Training beside parallel tests failed that way
/// ("toFloat at c10/core/Scalar.h" inside <c>Adam.step</c>), the same race <see cref="Runtime.TorchScalars"/>
/// closes for the library's own arithmetic.
/// </remarks>
public sealed class AdamOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _weightDecay;
    private long _steps;

    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        _parameters = [.. parameters];
        _firstMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _secondMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        LearningRate = learningRate;
        _weightDecay = weightDecay;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
    }

    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var gradient = parameter.grad;
            gradient?.zero_();
        }
    }

    public void Step()
    {
        _steps++;
        var biasCorrection1 = 1 - Math.Pow(_beta1, _steps);
        var biasCorrection2 = 1 - Math.Pow(_beta2, _steps);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var beta1 = _beta1.ToScalar();
        using var rest1 = (1 - _beta1).ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var rest2 = (1 - _beta2).ToScalar();
        using var decay = _weightDecay.ToScalar();
        using var correction2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var epsilon = _epsilon.ToScalar();
        using var one = 1.ToScalar();
        using var stepSize = (-LearningRate / biasCorrection1).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var gradient = parameter.grad;
            if (gradient is null) continue;
            if (_weightDecay != 0) gradient = gradient.add(parameter, decay);
            _firstMoments[i].mul_(beta1).add_(gradient, rest1);
            _secondMoments[i].mul_(beta2).addcmul_(gradient, gradient, rest2);
            var denominator = _secondMoments[i].sqrt().div_(correction2).add_(epsilon, one);
            parameter.addcdiv_(_firstMoments[i], denominator, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var moment in _firstMoments) moment.Dispose();
        foreach (var moment in _secondMoments) moment.Dispose();
    }
}
