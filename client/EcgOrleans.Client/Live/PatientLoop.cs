using EcgOrleans.Abstractions;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Client.Live;

/// <summary>
/// One patient's recording, played over and over: the primary lead and the annotations that fall in it, held once
/// and shared by every monitor that replays it. <see cref="Cut"/> is a pure function of its arguments, so a monitor's
/// chunk is the same whenever it is made.
/// </summary>
internal sealed class PatientLoop
{
    private readonly float[] _samples;
    private readonly long[]? _annotationSamples;
    private readonly byte[]? _annotationCodes;

    public PatientLoop(string name, double samplingFrequency, float[] samples, IReadOnlyList<Annotation>? annotations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples.Length, 1);
        Name = name;
        SamplingFrequency = samplingFrequency;
        _samples = samples;
        // A recording without annotations stays without: the record grain then detects its beats.
        if (annotations is { Count: > 0 })
        {
            var inside = annotations.Where(a => a.Sample >= 0 && a.Sample < samples.Length).OrderBy(a => a.Sample).ToArray();
            _annotationSamples = [.. inside.Select(a => a.Sample)];
            _annotationCodes = [.. inside.Select(a => (byte)a.Code)];
        }
    }

    /// <summary>The loop of a record's primary lead and its annotations.</summary>
    public static PatientLoop Of(WfdbRecord record) =>
        new(record.Name, record.Header.SamplingFrequency, record.Physical(record.PrimaryLead), record.Annotations);

    public string Name { get; }

    public double SamplingFrequency { get; }

    public int Length => _samples.Length;

    /// <summary>Whether the recording has annotations, so that its chunks carry them (an empty list where none falls).</summary>
    public bool Annotated => _annotationSamples is not null;

    /// <summary>Annotated beats per second of signal (zero for a recording without annotations).</summary>
    public double BeatsPerSecond => (_annotationSamples?.Length ?? 0) * SamplingFrequency / _samples.Length;

    /// <summary>
    /// Samples [<paramref name="start"/>, start + count) of a stream that plays this loop from
    /// <paramref name="offset"/>: stream sample s is loop sample (offset + s) mod Length. Annotations are numbered in
    /// the stream's samples, as a chunk's must be.
    /// </summary>
    public (float[] Samples, ChunkAnnotation[]? Annotations) Cut(long offset, long start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var samples = new float[count];
        var annotations = _annotationSamples is null ? null : new List<ChunkAnnotation>();
        var done = 0;
        while (done < count)
        {
            // One piece per pass through the loop's end.
            var position = (int)((offset + start + done) % _samples.Length);
            var piece = Math.Min(count - done, _samples.Length - position);
            Array.Copy(_samples, position, samples, done, piece);
            if (annotations is not null) AddAnnotations(annotations, position, piece, start + done);
            done += piece;
        }
        return (samples, annotations?.ToArray());
    }

    private void AddAnnotations(List<ChunkAnnotation> into, int position, int count, long streamSample)
    {
        var first = LowerBound(_annotationSamples!, position);
        for (var i = first; i < _annotationSamples!.Length && _annotationSamples[i] < position + count; i++)
            into.Add(new ChunkAnnotation(streamSample + (_annotationSamples[i] - position), _annotationCodes![i]));
    }

    private static int LowerBound(long[] sorted, long value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0) return ~index;
        while (index > 0 && sorted[index - 1] == value) index--;
        return index;
    }
}
