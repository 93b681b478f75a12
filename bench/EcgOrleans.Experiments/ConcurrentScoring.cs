using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Ml.Saliency;
using static TorchSharp.torch;

namespace EcgOrleans.Experiments;

/// <summary>
/// Several threads, each with its own copy of a bundled model, scoring batches of sizes drawn at random, so that
/// LibTorch keeps meeting shapes it has no oneDNN primitive for yet (run it with ONEDNN_PRIMITIVE_CACHE_CAPACITY=4
/// to make every call create primitives). Gated: through <see cref="BeatScorer"/>, which holds
/// <see cref="TorchGate"/>. Ungated: the saliency method called directly, as the scorer did before the gate; a
/// crash ends the process with SIGSEGV, which is the experiment's result.
/// </summary>
internal static class ConcurrentScoring
{
    public static int Run(string checkpoint, int threads, TimeSpan duration, bool gated)
    {
        var stop = DateTime.UtcNow + duration;
        long batches = 0;
        var workers = Enumerable.Range(0, threads).Select(seed => new Thread(() =>
        {
            TorchThreads.Configure(1); // per thread, so that every thread's OpenMP count is the same from its first operation
            using var model = Checkpoint.Load(checkpoint).Model;
            var scorer = new BeatScorer(model, new VanillaGradient());
            var random = new Random(seed);
            while (DateTime.UtcNow < stop)
            {
                var (waveforms, rhythm) = RandomBeats(random, random.Next(40, 91), model);
                if (gated) scorer.Score(waveforms, rhythm);
                else Ungated(model, waveforms, rhythm);
                Interlocked.Increment(ref batches);
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        Console.WriteLine($"{(gated ? "gated" : "ungated")}: {threads} threads scored {batches:N0} batches of 40-90 beats in {duration.TotalSeconds:0} s without a crash");
        return batches > 0 ? 0 : 1;
    }

    private static void Ungated(BeatClassifier model, float[] waveforms, float[] rhythm)
    {
        using var scope = NewDisposeScope();
        var count = waveforms.Length / model.WaveformLength;
        var w = tensor(waveforms, [count, 1, model.WaveformLength]);
        var r = tensor(rhythm, [count, model.RhythmFeatures]);
        new VanillaGradient().Attribute(model, w, r, SaliencyTargets.Predicted);
    }

    private static (float[] Waveforms, float[] Rhythm) RandomBeats(Random random, int count, BeatClassifier model)
    {
        var waveforms = new float[count * model.WaveformLength];
        var rhythm = new float[count * model.RhythmFeatures];
        for (var i = 0; i < waveforms.Length; i++) waveforms[i] = (float)(random.NextDouble() * 2 - 1);
        for (var i = 0; i < rhythm.Length; i++) rhythm[i] = (float)(random.NextDouble() + 0.5);
        return (waveforms, rhythm);
    }
}
