using BenchmarkDotNet.Attributes;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Filters;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Bench.Kernels;

/// <summary>
/// Cutting window beats out of record 100 held in memory, per beat, and the baseline-wander filter (two sliding
/// medians) that is most of that cost, on the same lead and per the same beat count.
/// </summary>
[KernelJob, MemoryDiagnoser]
public class BeatCuttingBenchmarks
{
    /// <summary>Window beats RecordBeats.Extract cuts from record 100 (its AAMI-class annotations that fit a window).</summary>
    public const int Record100Beats = 2273;

    private WfdbRecord _record = null!;
    private float[] _lead = [];
    private readonly List<float> _output = new(700_000);

    [GlobalSetup]
    public void Setup()
    {
        _record = KernelData.Record("100");
        _lead = _record.Physical(_record.PrimaryLead);
        var beats = RecordBeats.Extract(_record, BeatRepresentation.Window).Count;
        if (beats != Record100Beats)
            throw new InvalidOperationException($"record 100 gives {beats} window beats, not {Record100Beats}: update the constant");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Record100Beats)]
    public int ExtractWindowBeats() => RecordBeats.Extract(_record, BeatRepresentation.Window).Count;

    [Benchmark(OperationsPerInvoke = Record100Beats)]
    public int BaselineRemoval()
    {
        _output.Clear();
        var remover = new BaselineRemover(_record.Header.SamplingFrequency);
        remover.Push(_lead, _output);
        remover.Complete(_output);
        return _output.Count;
    }

    /// <summary>The 200 ms median alone (half width 36 samples at 360 Hz).</summary>
    [Benchmark(OperationsPerInvoke = Record100Beats)]
    public int SlidingMedian200Ms() => Median(36);

    /// <summary>The 600 ms median alone (half width 108 samples at 360 Hz).</summary>
    [Benchmark(OperationsPerInvoke = Record100Beats)]
    public int SlidingMedian600Ms() => Median(108);

    private int Median(int halfWidth)
    {
        _output.Clear();
        var median = new SlidingMedian(halfWidth);
        median.Push(_lead, _output);
        median.Complete(_output);
        return _output.Count;
    }
}
