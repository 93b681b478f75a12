using BenchmarkDotNet.Attributes;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Bench.Kernels;

/// <summary>
/// Format-212 decoding of record 100's whole signal file, already in memory, against a plain copy of the same
/// bytes: the copy is what memory bandwidth allows, the decoder cannot beat it.
/// </summary>
[KernelJob, MemoryDiagnoser]
public class WfdbDecodeBenchmarks
{
    private byte[] _dat = [];
    private byte[] _copy = [];
    private int[] _samples = [];
    private RecordHeader _header = null!;

    [GlobalSetup]
    public void Setup()
    {
        _header = WfdbRecordReader.ReadHeader(KernelData.MitBih, "100");
        _dat = File.ReadAllBytes(Path.Combine(KernelData.MitBih, _header.Signals[0].FileName));
        if (_dat.Length != KernelData.Record100DatBytes)
            throw new InvalidOperationException($"record 100's signal file holds {_dat.Length} bytes, not the {KernelData.Record100DatBytes} of MIT-BIH");
        _copy = new byte[_dat.Length];
        _samples = new int[_dat.Length / 3 * 2];
    }

    /// <summary>The memory-bandwidth limit: the same bytes copied, nothing decoded.</summary>
    [Benchmark(Baseline = true)]
    public void MemoryCopy() => _dat.AsSpan().CopyTo(_copy);

    /// <summary>The decoding loop alone: 1.95 MB of 12-bit pairs into 1.3 M ints.</summary>
    [Benchmark]
    public int Decode212()
    {
        var decoder = new SignalFileDecoder(212, _header.SignalCount);
        return decoder.Decode(_dat, _samples, out _);
    }

    /// <summary>The reader over the in-memory file: decoding plus checksums, initial values and one array per signal.</summary>
    [Benchmark]
    public int ReaderFromMemory()
    {
        using var reader = WfdbRecordReader.Open(_header, _ => new MemoryStream(_dat, writable: false));
        return reader.ReadToEnd()[0].Length;
    }
}

/// <summary>All 48 records, signals and reference annotations, from disk (the page cache is warm after the first pass).</summary>
[KernelJob(warmupCount: 1, iterationCount: 5), MemoryDiagnoser]
public class WfdbReadAllBenchmarks
{
    [GlobalSetup]
    public void Setup()
    {
        var missing = DatasetSplits.All.Where(r => !File.Exists(Path.Combine(KernelData.MitBih, r + ".dat"))).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"{KernelData.MitBih} lacks records {string.Join(", ", missing)}");
    }

    [Benchmark]
    public long ReadAll48Records()
    {
        long samples = 0;
        foreach (var name in DatasetSplits.All) samples += WfdbRecord.Read(KernelData.MitBih, name).SampleCount;
        return samples;
    }
}
