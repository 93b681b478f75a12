namespace EcgOrleans.Signal.Wfdb;

/// <summary>
/// Reads MIT-format annotation files (annot(5)) as the WFDB library does: SKIP intervals in either direction
/// (an annotation may not land before time 0), the NUM, SUB, CHN and AUX pseudo-codes, the definition notes
/// at the start (time resolution, annotation-type tables), and the end word. A file without its end word
/// is an error unless the caller keeps going (<see cref="AnnotationReadOptions.KeepGoingWhenTruncated"/>).
/// </summary>
public static class AnnotationReader
{
    /// <summary>The annotations of <c>directory/record.annotator</c>; a truncated or malformed file is an error.</summary>
    public static IReadOnlyList<Annotation> Read(string directory, string record, string annotator = "atr") =>
        ReadFile(directory, record, annotator).Annotations;

    /// <summary>Reads <c>directory/record.annotator</c> with what the reader noticed about it (time resolution, warnings).</summary>
    public static AnnotationFile ReadFile(string directory, string record, string annotator = "atr", AnnotationReadOptions? options = null)
    {
        var file = $"{record}.{annotator}";
        if (record.IndexOfAny(['/', '\\']) >= 0 || annotator.IndexOfAny(['/', '\\']) >= 0)
            throw new WfdbFormatException(record, file, "annotation file", "record and annotator are plain names, not paths");
        var path = Path.Combine(directory, file);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WfdbFormatException(record, file, "annotation file", $"cannot read {path}: {e.Message}", e);
        }
        return DecodeFile(bytes, record, file, options);
    }

    /// <summary>Decodes a whole annotation file held in memory; a truncated or malformed file is an error.</summary>
    public static List<Annotation> Decode(ReadOnlySpan<byte> bytes, string record, string file) =>
        (List<Annotation>)DecodeFile(bytes, record, file).Annotations;

    /// <summary>Decodes a whole annotation file held in memory, with what the reader noticed about it.</summary>
    public static AnnotationFile DecodeFile(ReadOnlySpan<byte> bytes, string record, string file, AnnotationReadOptions? options = null)
    {
        options ??= AnnotationReadOptions.Default;
        if (options.SamplingFrequency is { } fs && !(fs > 0 && double.IsFinite(fs)))
            throw new ArgumentOutOfRangeException(nameof(options), fs, "the sampling frequency must be positive and finite");
        var (annotations, truncation) = AnnotationDecoder.Decode(bytes, record, file, options.KeepGoingWhenTruncated);
        var (resolution, definitions) = AnnotationPreamble.Extract(annotations, record, file);
        if (resolution is { } ticks && options.SamplingFrequency is { } frequency && ticks != frequency)
            ToSamples(annotations, frequency / ticks);

        var warnings = new List<string>();
        if (truncation is not null) warnings.Add(Warning(record, file, truncation));
        AnnotationOverrun? pastEnd = options.SignalLength is { } length ? AnnotationOverrun.Find(annotations, length) : null;
        if (pastEnd is { } overrun) warnings.Add(Warning(record, file, overrun.ToString()));
        return new AnnotationFile(record, file, annotations, resolution, definitions, pastEnd, truncation is not null, warnings);
    }

    /// <summary>Ticks to sample numbers, rounded as the WFDB library's getann does (t * tmul + 0.5, truncated).</summary>
    private static void ToSamples(List<Annotation> annotations, double samplesPerTick)
    {
        for (var i = 0; i < annotations.Count; i++)
            annotations[i] = annotations[i] with { Sample = (long)Math.Floor(annotations[i].Sample * samplesPerTick + 0.5) };
    }

    private static string Warning(string record, string file, string problem) => $"record {record}, file {file}: {problem}";
}
