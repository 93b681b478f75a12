using static TorchSharp.torch;

namespace EcgOrleans.Experiments;

/// <summary>
/// The input gradient of one 1-D convolution (kernel 5, padding 2) in float32, against the same computation in
/// float64, over output channel counts, batch sizes and strides. On AVX2 and AVX-512 CPUs LibTorch 2.10's oneDNN
/// got it wrong, differently from call to call and sometimes NaN, whenever the output channels were not a multiple
/// of the instruction set's vector block; ONEDNN_MAX_CPU_ISA selects another instruction set in the same process.
/// </summary>
internal static class ConvolutionGradients
{
    private static readonly int[] OutputChannels = [4, 6, 8, 12, 16, 24, 32, 40, 64];
    private static readonly int[] Batches = [1, 2, 5, 16, 64];

    public static void Run()
    {
        Console.WriteLine("worst |f32 - f64| / max |f64| of d(sum conv(x) * g)/dx over 3 draws, input channels 32, length 187");
        Console.WriteLine($"{"out ch",7} {"stride",6} " + string.Join(" ", Batches.Select(b => $"{"batch " + b,10}")));
        foreach (var outputs in OutputChannels)
        foreach (var stride in new[] { 1, 2 })
        {
            var cells = Batches.Select(batch =>
            {
                var errors = Enumerable.Range(0, 3).Select(draw => Error(batch, 32, outputs, 187, stride, draw)).ToList();
                return errors.Any(double.IsNaN) ? "NaN" : errors.Max().ToString("E1");
            });
            Console.WriteLine($"{outputs,7} {stride,6} " + string.Join(" ", cells.Select(c => $"{c,10}")));
        }
    }

    private static double Error(int batch, int inputs, int outputs, int length, int stride, int seed)
    {
        using var scope = NewDisposeScope();
        manual_seed(seed);
        var x = randn(batch, inputs, length);
        var weight = randn(outputs, inputs, 5).div(MathF.Sqrt(5 * inputs));
        var upstream = randn(batch, outputs, (length - 1) / stride + 1);
        var reference = Gradient(x, weight, upstream, stride, ScalarType.Float64);
        var single = Gradient(x, weight, upstream, stride, ScalarType.Float32);
        return (single - reference).abs().max().item<double>() / reference.abs().max().item<double>();
    }

    private static Tensor Gradient(Tensor x, Tensor weight, Tensor upstream, int stride, ScalarType type)
    {
        using var grad = enable_grad();
        var input = x.to(type).requires_grad_();
        var output = nn.functional.conv1d(input, weight.to(type), stride: stride, padding: 2);
        return autograd.grad([(output * upstream.to(type)).sum()], [input])[0].to(ScalarType.Float64);
    }
}
