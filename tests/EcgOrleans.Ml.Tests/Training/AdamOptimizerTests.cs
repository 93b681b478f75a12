using EcgOrleans.Ml.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Training;

/// <summary><see cref="AdamOptimizer"/> replaces TorchSharp's Adam only to hold its Scalars; the steps must not change.</summary>
public sealed class AdamOptimizerTests
{
    /// <summary>
    /// Same operations, shapes, thread and machine as TorchSharp's Adam, so the same kernels: equality is exact, which
    /// also keeps training runs (and the bundled checkpoints' commands) reproducible across the switch.
    /// </summary>
    [Fact]
    public void Steps_the_parameters_exactly_as_TorchSharps_Adam_with_weight_decay_and_a_changing_rate()
    {
        using var scope = NewDisposeScope();
        var random = new Random(7);
        Tensor Values(params long[] shape) =>
            tensor([.. Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() * 2 - 1))]).reshape(shape);
        var initial = Values(3, 8);
        var ours = new Parameter(initial.clone());
        var theirs = new Parameter(initial.clone());
        using var adam = new AdamOptimizer([ours], learningRate: 0.05, weightDecay: 1e-3);
        using var reference = optim.Adam([theirs], 0.05, weight_decay: 1e-3);

        for (var step = 1; step <= 8; step++)
        {
            var input = Values(5, 8);
            var rate = 0.05 / step;
            adam.LearningRate = rate;
            foreach (var group in reference.ParamGroups) group.LearningRate = rate;
            adam.ZeroGrad();
            reference.zero_grad();
            input.matmul(ours.t()).tanh().square().sum().backward();
            input.matmul(theirs.t()).tanh().square().sum().backward();
            adam.Step();
            reference.step();

            Assert.False(ours.eq(initial).all().item<bool>(), "the step did not move the parameters");
            Assert.True(ours.eq(theirs).all().item<bool>(), $"step {step}: parameters differ by {(ours - theirs).abs().max().item<float>()}");
        }
    }

    [Fact]
    public void Zeroes_the_gradients_it_steps()
    {
        using var scope = NewDisposeScope();
        var parameter = new Parameter(ones(4));
        using var adam = new AdamOptimizer([parameter], learningRate: 0.1);
        parameter.square().sum().backward();
        Assert.True(parameter.grad!.abs().sum().item<float>() > 0);
        adam.ZeroGrad();
        Assert.Equal(0f, parameter.grad!.abs().sum().item<float>());
    }
}
