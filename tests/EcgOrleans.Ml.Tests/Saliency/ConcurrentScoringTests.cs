using System.Collections.Concurrent;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Tests;
using Xunit.Abstractions;
using static EcgOrleans.Ml.Tests.Saliency.TestInputs;

namespace EcgOrleans.Ml.Tests.Saliency;

/// <summary>
/// Scoring from several threads at once, each with its own model instance, while the garbage collector runs (it
/// finalizes whatever TorchSharp objects nothing holds). Scorers take turns through <see cref="TorchGate"/>; every
/// result must be exactly what the same batch gives when scored alone on one thread: same shapes, same thread
/// settings, same machine, so the same kernels and the same sums.
/// </summary>
[Trait("Category", "Slow")]
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

    [Fact]
    public async Task Scoring_waits_while_another_thread_holds_the_torch_gate()
    {
        using var model = Checkpoint.Load(Path.Combine(TestData.RepositoryRoot, "models", "kachuee-window-ds1.ckpt")).Model;
        var scorer = new BeatScorer(model, new VanillaGradient());
        var (waveforms, rhythm) = Batch(8, seed: 700);
        var holding = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            using (TorchGate.Enter())
            {
                holding.Set();
                release.Wait();
            }
        });
        holder.Start();
        holding.Wait();
        var scoring = Task.Factory.StartNew(() => scorer.Score(waveforms, rhythm), TaskCreationOptions.LongRunning);
        await Task.Delay(300);
        Assert.False(scoring.IsCompleted, "a scorer ran LibTorch while another thread held the gate");
        release.Set();
        Assert.Equal(8, (await scoring).Count);
        holder.Join();
    }

    [Fact]
    public async Task Threads_meeting_new_shapes_on_every_call_do_not_crash_the_process()
    {
        // A child process, because the failure this guards against is a native crash: four threads score batches of
        // random sizes while oneDNN's primitive cache is held at 4 entries, so every call creates primitives.
        var experiments = Path.Combine(TestData.RepositoryRoot, "bench", "EcgOrleans.Experiments", "bin",
            Path.GetRelativePath(Path.Combine(TestData.RepositoryRoot, "tests", "EcgOrleans.Ml.Tests", "bin"), AppContext.BaseDirectory),
            "EcgOrleans.Experiments.dll");
        Assert.True(File.Exists(experiments), $"{experiments} is missing: build the solution");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet",
            [experiments, "concurrent-scoring", Path.Combine(TestData.RepositoryRoot, "models", "kachuee-window-ds1.ckpt"), "4", "20", "gated"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] = "4";
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var printed = await stdout + await stderr;
        output.WriteLine(printed);

        Assert.True(process.ExitCode == 0, $"the scoring process exited with {process.ExitCode}:\n{printed}");
        Assert.Contains("without a crash", printed);
    }

    private static (float[] Waveforms, float[] Rhythm) Batch(int count, int seed)
    {
        var (w, r) = Random(count, 256, 6, seed);
        return (Floats(w), Floats(r));
    }
}
