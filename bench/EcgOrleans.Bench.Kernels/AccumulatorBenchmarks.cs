using BenchmarkDotNet.Attributes;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Bench.Kernels;

/// <summary>
/// Class-map statistics: adding a batch of 256 beats (Welford) per beat, splitting a scored batch into its maps
/// as ModelGrain does (each beat feeds three maps), and merging two accumulators (Chan) as ClassMapGrain does.
/// </summary>
[KernelJob, MemoryDiagnoser]
public class AccumulatorBenchmarks
{
    public const int BatchSize = 256;
    private const int WaveformLength = 256;
    private const int RhythmLength = 4;
    private const int Dimension = WaveformLength + RhythmLength;

    private float[] _saliency = [];
    private float[] _waveforms = [];
    private float[] _rhythm = [];
    private ScoredBatch _scored = null!;
    private AamiClass?[] _references = [];
    private ClassMapAccumulator _target = null!;
    private ClassMapAccumulator _other = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The arithmetic does not depend on the values; seeded values in the ranges the pipeline sees.
        var random = new Random(208);
        _saliency = [.. Enumerable.Range(0, BatchSize * Dimension).Select(_ => random.NextSingle())];
        _waveforms = [.. Enumerable.Range(0, BatchSize * WaveformLength).Select(_ => random.NextSingle() * 2 - 1)];
        _rhythm = [.. Enumerable.Range(0, BatchSize * RhythmLength).Select(_ => random.NextSingle() + 0.5f)];
        var predicted = Enumerable.Range(0, BatchSize).Select(i => (AamiClass)(i % Aami.ClassCount)).ToArray();
        _scored = new ScoredBatch(BatchSize, WaveformLength, RhythmLength, new float[BatchSize * Aami.ClassCount], predicted, predicted, _saliency);
        _references = [.. predicted.Select(p => (AamiClass?)p)];
        _target = Filled(random);
        _other = Filled(random);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public long AddBatchToOneMap()
    {
        var map = new ClassMapAccumulator(WaveformLength, RhythmLength);
        for (var b = 0; b < BatchSize; b++)
            map.Add(_saliency.AsSpan(b * Dimension, Dimension), _waveforms.AsSpan(b * WaveformLength, WaveformLength), _rhythm.AsSpan(b * RhythmLength, RhythmLength));
        return map.Count;
    }

    /// <summary>ModelGrain's split of a scored batch into reference, predicted and cell maps, per beat.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int SplitBatchIntoMaps() =>
        ClassMapPartition.Split(_scored, _waveforms, _rhythm, _references).Count;

    /// <summary>One Chan merge of a 256-beat partial into a map, per merge.</summary>
    [Benchmark]
    public long MergeTwoMaps()
    {
        _target.Merge(_other);
        return _target.Count;
    }

    /// <summary>ClassMapGrain's step: clone the current map (so a failed write can be forgotten), then merge.</summary>
    [Benchmark]
    public long CloneAndMerge()
    {
        var merged = _target.Clone();
        merged.Merge(_other);
        return merged.Count;
    }

    private ClassMapAccumulator Filled(Random random)
    {
        var map = new ClassMapAccumulator(WaveformLength, RhythmLength);
        for (var b = 0; b < BatchSize; b++)
            map.Add(_saliency.AsSpan(random.Next(BatchSize) * Dimension, Dimension), _saliency.AsSpan(b * Dimension, Dimension));
        return map;
    }
}
