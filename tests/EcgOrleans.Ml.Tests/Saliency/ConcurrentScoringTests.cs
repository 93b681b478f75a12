using System.Collections.Concurrent;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Tests;
using Xunit.Abstractions;
using static EcgOrleans.Ml.Tests.Saliency.TestInputs;

namespace EcgOrleans.Ml.Tests.Saliency;

/// <summary>
/// The way a silo scores: several threads, each with its own model instance, scoring batches of every size at once,
/// while the garbage collector runs (it finalizes whatever TorchSharp objects nothing holds). Every result must be
/// exactly what the same batch gives when scored alone on one thread: same shapes, same thread settings, same
/// machine, so the same kernels and the same sums.
/// </summary>
public sealed class ConcurrentScoringTests(ITestOutputHelper output)
{
    private static readonly int[] BatchSizes = [1, 5, 31, 64, 97, 256];
    private static readonly string[] Methods = [VanillaGradient.MethodName, GradientTimesInput.MethodName, GradCam1d.MethodName];
    private const int Workers = 4;
    private const int Rounds = 1;

    [Theory]
    [InlineData("kachuee-window-ds1")]
    [InlineData("resnet-window-ds1")]
    public void Threads_scoring_at_once_under_garbage_collection_give_what_one_thread_gives_alone(string name)
    {
        var checkpoint = Path.Combine(TestData.RepositoryRoot, "models", name + ".ckpt");
        var work = (from size in BatchSizes from method in Methods select (Size: size, Method: method)).ToArray();
        var inputs = work.Select((w, i) => Batch(w.Size, seed: 500 + i)).ToArray();
        ScoredBatch[] alone;
        using (var model = Checkpoint.Load(checkpoint).Model)
        {
            var scorers = Methods.ToDictionary(m => m, m => new BeatScorer(model, SaliencyMethods.Create(m)));
            alone = [.. work.Select((w, i) => scorers[w.Method].Score(inputs[i].Waveforms, inputs[i].Rhythm))];
        }

        var results = new ConcurrentBag<(int Work, ScoredBatch Scored)>();
        var failures = new ConcurrentQueue<Exception>();
        using var done = new CancellationTokenSource();
        var collections = 0;
        var collector = new Thread(() =>
        {
            while (!done.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                collections++;
            }
        });
        var workers = Enumerable.Range(0, Workers).Select(worker => new Thread(() =>
        {
            try
            {
                using var model = Checkpoint.Load(checkpoint).Model;
                var scorers = Methods.ToDictionary(m => m, m => new BeatScorer(model, SaliencyMethods.Create(m)));
                var order = Enumerable.Range(0, Rounds).SelectMany(_ => Enumerable.Range(0, work.Length)).ToArray();
                new Random(worker).Shuffle(order);
                foreach (var i in order) results.Add((i, scorers[work[i].Method].Score(inputs[i].Waveforms, inputs[i].Rhythm)));
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToList();

        collector.Start();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        done.Cancel();
        collector.Join();
        output.WriteLine($"{name}: {results.Count} batches scored by {Workers} threads during {collections} garbage collections");

        Assert.Empty(failures);
        Assert.Equal(Workers * Rounds * work.Length, results.Count);
        foreach (var (i, scored) in results)
        {
            var expected = alone[i];
            var what = $"{work[i].Method}, batch of {work[i].Size}";
            Assert.All(scored.Saliency, v => Assert.True(float.IsFinite(v), $"{what}: a map value is {v}"));
            Assert.True(expected.Predicted.SequenceEqual(scored.Predicted), $"{what}: predictions differ from the batch scored alone");
            Assert.True(expected.Probabilities.SequenceEqual(scored.Probabilities), $"{what}: probabilities differ from the batch scored alone");
            Assert.True(expected.Saliency.SequenceEqual(scored.Saliency), $"{what}: maps differ from the batch scored alone");
        }
    }

    private static (float[] Waveforms, float[] Rhythm) Batch(int count, int seed)
    {
        var (w, r) = Random(count, 256, 6, seed);
        return (Floats(w), Floats(r));
    }
}
