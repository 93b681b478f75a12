using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Saliency;
using static TorchSharp.torch;

namespace EcgOrleans.Bench;

/// <summary>
/// Where the time goes (--explore): the same model at tensor level, with and without the things BeatScorer
/// adds or avoids: inference mode vs no_grad, frozen vs trainable weights, the per-forward input check.
/// </summary>
internal static class Variants
{
    public static void Run(BeatClassifier model, float[] waveforms, float[] rhythm, int batch, int threads, (int Repetitions, double Seconds, int Warmup) settings)
    {
        set_num_threads(threads);
        var w = tensor(waveforms, [batch, 1, model.WaveformLength]);
        var r = tensor(rhythm, [batch, model.RhythmFeatures]);
        model.eval();
        var trainable = new KachueeCnn(model.WaveformLength, model.RhythmFeatures);
        trainable.load_state_dict(model.state_dict());
        trainable.eval();
        foreach (var p in model.parameters()) p.requires_grad = false;

        Report("forward, inference_mode", () =>
        {
            using var scope = NewDisposeScope();
            using var mode = inference_mode();
            model.forward(w, r);
        });
        Report("forward, no_grad", () =>
        {
            using var scope = NewDisposeScope();
            using var mode = no_grad();
            model.forward(w, r);
        });
        Report("input check alone (isfinite.all)", () =>
        {
            using var scope = NewDisposeScope();
            using var mode = inference_mode();
            _ = isfinite(w).all().item<bool>() && isfinite(r).all().item<bool>();
        });
        Report("forward recording the graph, no backward", () =>
        {
            using var scope = NewDisposeScope();
            using var mode = enable_grad();
            model.forward(w.detach().requires_grad_(), r);
        });
        Report("vanilla gradient, frozen weights", () =>
        {
            using var scope = NewDisposeScope();
            new VanillaGradient().Attribute(model, w, r, SaliencyTargets.Predicted);
        });
        Report("vanilla gradient, trainable weights", () =>
        {
            using var scope = NewDisposeScope();
            new VanillaGradient().Attribute(trainable, w, r, SaliencyTargets.Predicted);
        });
        Report("vanilla via backward(), trainable", () =>
        {
            using var scope = NewDisposeScope();
            var input = w.detach().requires_grad_();
            var logits = trainable.forward(input, r);
            logits.gather(1, logits.detach().argmax(1).unsqueeze(1)).sum().backward();
            trainable.zero_grad();
        });

        void Report(string name, Action action)
        {
            var rates = Throughput.Measure(action, batch, settings.Repetitions, settings.Seconds, settings.Warmup);
            Console.WriteLine($"variant L={model.WaveformLength} threads {threads}: {name,-36} median {Throughput.Median(rates),9:N0} beats/s");
        }
    }
}
