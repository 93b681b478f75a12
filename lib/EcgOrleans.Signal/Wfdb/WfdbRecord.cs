namespace EcgOrleans.Signal.Wfdb;

/// <summary>A whole WFDB record in memory: header, digital samples per signal, and its annotations.</summary>
public sealed class WfdbRecord
{
    public WfdbRecord(RecordHeader header, int[][] digital, IReadOnlyList<Annotation> annotations)
    {
        Header = header;
        Digital = digital;
        Annotations = annotations;
    }

    public RecordHeader Header { get; }

    public string Name => Header.Name;

    /// <summary>Digital samples, one array per signal.</summary>
    public int[][] Digital { get; }

    public IReadOnlyList<Annotation> Annotations { get; }

    /// <summary>What the reader noticed about the annotation file (time resolution, warnings), when the record was read with one.</summary>
    public AnnotationFile? AnnotationFile { get; init; }

    /// <summary>
    /// Annotations at or past the end of the signals, or null when there are none. They stay in
    /// <see cref="Annotations"/>: callers that cut beats or chunks skip them, and can say how many they skipped.
    /// </summary>
    public AnnotationOverrun? AnnotationsPastEnd => SignalLength(Header, Digital) is { } length ? AnnotationOverrun.Find(Annotations, length) : null;

    public int SampleCount => Digital.Length == 0 ? 0 : Digital[0].Length;

    /// <summary>
    /// Reads the header, every signal, and (when <paramref name="annotator"/> is not null) the annotations, with times
    /// in samples of the record. <paramref name="annotationOptions"/> may keep going through a truncated annotation
    /// file; the record's sampling frequency and length are filled in when the options leave them out.
    /// </summary>
    public static WfdbRecord Read(string directory, string recordName, string? annotator = "atr", AnnotationReadOptions? annotationOptions = null)
    {
        int[][] digital;
        RecordHeader header;
        using (var reader = WfdbRecordReader.Open(directory, recordName))
        {
            header = reader.Header;
            digital = reader.ReadToEnd();
        }
        if (annotator is null) return new WfdbRecord(header, digital, []);
        var options = annotationOptions ?? AnnotationReadOptions.Default;
        options = options with
        {
            SamplingFrequency = options.SamplingFrequency ?? header.SamplingFrequency,
            SignalLength = options.SignalLength ?? SignalLength(header, digital),
        };
        var file = AnnotationReader.ReadFile(directory, recordName, annotator, options);
        return new WfdbRecord(header, digital, file.Annotations) { AnnotationFile = file };
    }

    /// <summary>The record's length in samples: its signals', or the header's for a record without signals (null if it gives none).</summary>
    private static long? SignalLength(RecordHeader header, int[][] digital) => digital.Length > 0 ? digital[0].Length : header.SampleCount;

    /// <summary>Signal <paramref name="signal"/> in physical units (mV for ECG); missing samples are NaN.</summary>
    public float[] Physical(int signal)
    {
        var spec = Header.Signals[signal];
        var source = Digital[signal];
        var result = new float[source.Length];
        for (var i = 0; i < source.Length; i++) result[i] = spec.ToPhysical(source[i]);
        return result;
    }

    /// <summary>The signal a beat model reads: MLII when the record has it, else the first signal.</summary>
    public int PrimaryLead
    {
        get
        {
            var index = Header.IndexOf("MLII");
            return index >= 0 ? index : 0;
        }
    }
}
