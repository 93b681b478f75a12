using EcgOrleans.Abstractions;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Client.Ingestion;

/// <summary>
/// A record cut into numbered chunks of the primary lead, each with the annotations that fall in it. Chunk i is
/// always the same samples and annotations, so a chunk can be rebuilt for a re-send at any time.
/// </summary>
internal sealed class ChunkPlan
{
    private readonly float[] _samples;
    private readonly Annotation[]? _annotations;

    public ChunkPlan(WfdbRecord record, int chunkSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSamples, 1);
        Record = record.Name;
        SamplingFrequency = record.Header.SamplingFrequency;
        ChunkSamples = chunkSamples;
        _samples = record.Physical(record.PrimaryLead);
        // A record read without an annotation file has none: its beats are then detected.
        _annotations = record.Annotations.Count > 0 ? [.. record.Annotations.Where(a => a.Sample < _samples.Length)] : null;
        Count = Math.Max(1, (_samples.Length + chunkSamples - 1) / chunkSamples);
    }

    public string Record { get; }

    public double SamplingFrequency { get; }

    public int ChunkSamples { get; }

    public int Count { get; }

    public long TotalSamples => _samples.Length;

    public SignalChunk Chunk(long sequence, bool flush = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sequence, Count);
        var start = (int)(sequence * ChunkSamples);
        var end = Math.Min(_samples.Length, start + ChunkSamples);
        ChunkAnnotation[]? annotations = _annotations is null ? null
            : [.. _annotations.Where(a => a.Sample >= start && a.Sample < end).Select(a => new ChunkAnnotation(a.Sample, (byte)a.Code))];
        return new SignalChunk(sequence, SamplingFrequency, _samples[start..end], annotations, IsLast: sequence == Count - 1, flush);
    }
}
