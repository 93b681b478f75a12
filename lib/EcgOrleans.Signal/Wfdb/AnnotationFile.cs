namespace EcgOrleans.Signal.Wfdb;

/// <summary>How <see cref="AnnotationReader.ReadFile"/> reads an annotation file.</summary>
public sealed record AnnotationReadOptions
{
    public static AnnotationReadOptions Default { get; } = new();

    /// <summary>
    /// When the file is cut short (no end word, or it ends inside a SKIP, an AUX string or a word), return the
    /// annotations read so far with a warning instead of throwing. Other damage is still an error.
    /// </summary>
    public bool KeepGoingWhenTruncated { get; init; }

    /// <summary>
    /// The record's sampling frequency. When the file states a different time resolution (WFDB's
    /// "## time resolution" note), times are converted to sample numbers as the WFDB library does.
    /// </summary>
    public double? SamplingFrequency { get; init; }

    /// <summary>The number of samples of the record's signals; annotations at or past it are reported.</summary>
    public long? SignalLength { get; init; }
}

/// <summary>An annotation file as read: its annotations and what the reader noticed about the file.</summary>
/// <param name="Record">Record name.</param>
/// <param name="File">File name (e.g. <c>100.atr</c>).</param>
/// <param name="Annotations">The annotations in file order (times in samples), without the file's definition notes.</param>
/// <param name="TimeResolution">Ticks per second the file's time-resolution note states, or null when it has none.</param>
/// <param name="Definitions">The AUX texts of the other definition notes at the start of the file (annotation-type tables).</param>
/// <param name="PastEnd">Annotations at or past the end of the signal, when the signal length was given and there are any.</param>
/// <param name="Truncated">The file was cut short and read with <see cref="AnnotationReadOptions.KeepGoingWhenTruncated"/>.</param>
/// <param name="Warnings">What the caller should hear about: a truncated file, annotations past the end. Each names the file.</param>
public sealed record AnnotationFile(
    string Record,
    string File,
    IReadOnlyList<Annotation> Annotations,
    double? TimeResolution,
    IReadOnlyList<string> Definitions,
    AnnotationOverrun? PastEnd,
    bool Truncated,
    IReadOnlyList<string> Warnings);

/// <summary>Annotations whose sample lies at or past the end of the signal: how many, and the earliest of them.</summary>
/// <param name="Count">Number of such annotations.</param>
/// <param name="FirstSample">The smallest of their sample numbers.</param>
/// <param name="SignalLength">Samples in the signal: valid samples are 0 to <paramref name="SignalLength"/> - 1.</param>
public readonly record struct AnnotationOverrun(int Count, long FirstSample, long SignalLength)
{
    /// <summary>The annotations at or past <paramref name="signalLength"/>, or null when every annotation lies inside the signal.</summary>
    public static AnnotationOverrun? Find(IEnumerable<Annotation> annotations, long signalLength)
    {
        var count = 0;
        var first = long.MaxValue;
        foreach (var annotation in annotations)
        {
            if (annotation.Sample < signalLength) continue;
            count++;
            first = Math.Min(first, annotation.Sample);
        }
        return count == 0 ? null : new AnnotationOverrun(count, first, signalLength);
    }

    public override string ToString() =>
        $"{Count} annotation(s) lie past the end of the signal ({SignalLength} samples), the first at sample {FirstSample}";
}
