using EcgOrleans.Ml.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Saliency;

/// <summary>
/// A small smooth CNN (tanh, so finite differences and path integrals converge cleanly): two convolutions give the
/// feature maps, their time average joins the rhythm features in a two-layer head. Works in float32 or float64.
/// <paramref name="gain"/> scales the logits (a freshly initialised head barely moves them).
/// Both convolutions have 16 output channels: LibTorch 2.10's oneDNN returns wrong or NaN input gradients, varying
/// from call to call, for a convolution whose output channels are not a multiple of the CPU's vector block (8 with
/// AVX2, 16 with AVX-512), and the shipped architectures all have multiples of 32 (<c>ConvolutionKernelTests</c>).
/// </summary>
internal sealed class TinyCnn : BeatClassifier
{
    private const int Channels = 16;
    private readonly Conv1d conv1;
    private readonly Conv1d conv2;
    private readonly Linear hidden;
    private readonly Linear output;

    public TinyCnn(int length, int rhythm, int seed, double gain = 1) : base(nameof(TinyCnn), length, rhythm)
    {
        manual_seed(seed);
        conv1 = nn.Conv1d(1, Channels, 5, padding: 2);
        conv2 = nn.Conv1d(Channels, Channels, 5, stride: 2, padding: 2);
        hidden = nn.Linear(Channels + rhythm, 8);
        output = nn.Linear(8, ClassCount);
        Gain = gain;
        RegisterComponents();
        eval();
    }

    public double Gain { get; }

    public override (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor waveform, Tensor rhythm)
    {
        var features = conv2.forward(conv1.forward(waveform).tanh()).tanh();
        var head = RhythmFeatures > 0 ? cat([features.mean([2]), rhythm], 1) : features.mean([2]);
        return (output.forward(hidden.forward(head).tanh()) * Gain, features);
    }
}

/// <summary>
/// A linear model with known attributions: logits = W [x; r] + b, and the waveform itself [B, 1, L] as the
/// "feature maps" (one channel, T = L), so every method has a closed form to check against.
/// </summary>
internal sealed class LinearModel : BeatClassifier
{
    private readonly Linear linear;

    public LinearModel(int length, int rhythm, int seed) : base(nameof(LinearModel), length, rhythm)
    {
        manual_seed(seed);
        linear = nn.Linear(length + rhythm, ClassCount);
        RegisterComponents();
        eval();
    }

    public Tensor Weight => linear.weight!;

    public override (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor waveform, Tensor rhythm) =>
        (linear.forward(cat([waveform.flatten(1), rhythm], 1)), waveform);
}

/// <summary>Deterministic random inputs for the tests.</summary>
internal static class TestInputs
{
    public static (Tensor Waveform, Tensor Rhythm) Random(int batch, int length, int rhythm, int seed, ScalarType dtype = ScalarType.Float32)
    {
        var generator = new System.Random(seed);
        var w = new float[batch * length];
        var r = new float[batch * rhythm];
        for (var i = 0; i < w.Length; i++) w[i] = (float)(2 * generator.NextDouble() - 1);
        for (var i = 0; i < r.Length; i++) r[i] = (float)(0.5 + generator.NextDouble());
        return (tensor(w, [batch, 1, length]).to(dtype), tensor(r, [batch, rhythm]).to(dtype));
    }

    public static float[] Floats(Tensor t) => t.detach().to(ScalarType.Float32).contiguous().data<float>().ToArray();

    public static double[] Doubles(Tensor t) => t.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray();

    public static double MaxAbsDifference(Tensor a, Tensor b) => (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();
}
