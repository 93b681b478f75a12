using BenchmarkDotNet.Attributes;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Bench.Kernels;

/// <summary>
/// The bundled Kachuee checkpoint on one batch of 256 real window beats from record 208 (many V beats), one
/// LibTorch thread: inference alone, then inference plus each saliency method. Figures are per beat.
/// </summary>
[KernelJob(warmupCount: 1, iterationCount: 5), MemoryDiagnoser]
public class ModelBenchmarks
{
    public const int BatchSize = 256;

    private readonly Dictionary<string, BeatScorer> _scorers = [];
    private float[] _waveforms = [];
    private float[] _rhythm = [];

    [GlobalSetup]
    public void Setup()
    {
        TorchThreads.Configure(1); // process-wide; Program sets it first already
        var loaded = Checkpoint.Load(KernelData.Checkpoint);
        var representation = BeatRepresentation.Parse(loaded.Metadata.Representation);
        var beats = RecordBeats.Extract(KernelData.Record("208"), representation);
        // Spread over the record rather than its first minutes.
        var step = beats.Count / BatchSize;
        var batch = Enumerable.Range(0, BatchSize).Select(i => beats[i * step]).ToList();
        var rhythm = loaded.Metadata.RhythmFeatureCount;
        _waveforms = [.. batch.SelectMany(b => b.Waveform)];
        _rhythm = [.. batch.SelectMany(b => b.Rhythm.Take(rhythm))];
        // One model: the scorers run one after another on one thread.
        foreach (var name in SaliencyMethods.Names) _scorers[name] = new BeatScorer(loaded.Model, SaliencyMethods.Create(name));
        var benchmarked = new[] { "vanilla", "gradxinput", "smoothgrad", "ig", "occlusion", "gradcam" };
        if (!SaliencyMethods.Names.Order().SequenceEqual(benchmarked.Order()))
            throw new InvalidOperationException($"saliency methods are now {string.Join(", ", SaliencyMethods.Names)}: give each a benchmark");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public int Inference() => _scorers["vanilla"].Classify(_waveforms, _rhythm).Count;

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int Vanilla() => Score("vanilla");

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int GradientTimesInput() => Score("gradxinput");

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int SmoothGrad() => Score("smoothgrad");

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int IntegratedGradients() => Score("ig");

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int Occlusion() => Score("occlusion");

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int GradCam() => Score("gradcam");

    private int Score(string method) => _scorers[method].Score(_waveforms, _rhythm).Count;
}
