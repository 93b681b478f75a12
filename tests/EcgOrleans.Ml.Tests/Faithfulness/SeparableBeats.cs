using EcgOrleans.Ml.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Faithfulness;

/// <summary>
/// Synthetic beats a CNN separates easily: class c (N, S or V) is a Gaussian bump at its own position on a
/// noisy flat line; the rhythm features are uninformative noise. So the evidence for a class sits in a known
/// place, and a faithful saliency map should find it.
/// </summary>
internal static class SeparableBeats
{
    public const int Length = 128;
    public const int Rhythm = 4;
    public const int Classes = 3;

    public static (Tensor Waveform, Tensor Rhythm, Tensor Labels) Make(int perClass, int seed)
    {
        var random = new Random(seed);
        var count = perClass * Classes;
        var w = new float[count * Length];
        var r = new float[count * Rhythm];
        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            var label = i % Classes;
            labels[i] = label;
            var centre = 24 + 40 * label + 4 * (random.NextDouble() - 0.5);
            for (var t = 0; t < Length; t++)
                w[i * Length + t] = (float)(Math.Exp(-Math.Pow((t - centre) / 4.0, 2)) + 0.1 * (random.NextDouble() - 0.5));
            for (var k = 0; k < Rhythm; k++) r[i * Rhythm + k] = (float)(0.8 + 0.4 * random.NextDouble());
        }
        return (tensor(w, [count, 1, Length]), tensor(r, [count, Rhythm]), tensor(labels));
    }

    /// <summary>A Kachuee CNN trained for a few epochs of Adam on <see cref="Make"/>'s beats, in eval mode.</summary>
    public static BeatClassifier TrainedKachuee(int seed)
    {
        manual_seed(seed);
        var model = new KachueeCnn(Length, Rhythm);
        var (w, r, labels) = Make(perClass: 120, seed);
        using var optimizer = optim.Adam(model.parameters(), lr: 2e-3);
        var generator = new Random(seed);
        model.train();
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var order = Enumerable.Range(0, (int)labels.shape[0]).ToArray();
            generator.Shuffle(order);
            foreach (var chunk in order.Chunk(32))
            {
                using var scope = NewDisposeScope();
                var index = tensor(chunk.Select(i => (long)i).ToArray());
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(w.index_select(0, index), r.index_select(0, index)), labels.index_select(0, index));
                loss.backward();
                optimizer.step();
            }
        }
        model.eval();
        return model;
    }

    public static double Accuracy(BeatClassifier model, Tensor waveform, Tensor rhythm, Tensor labels)
    {
        using var noGrad = no_grad();
        return (model.forward(waveform, rhythm).argmax(1) == labels).to(float64).mean().item<double>();
    }
}
