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

    public int SampleCount => Digital.Length == 0 ? 0 : Digital[0].Length;

    /// <summary>Reads the header, every signal, and (when <paramref name="annotator"/> is not null) the annotations.</summary>
    public static WfdbRecord Read(string directory, string recordName, string? annotator = "atr")
    {
        int[][] digital;
        RecordHeader header;
        using (var reader = WfdbRecordReader.Open(directory, recordName))
        {
            header = reader.Header;
            digital = reader.ReadToEnd();
        }
        var annotations = annotator is null ? [] : AnnotationReader.Read(directory, recordName, annotator);
        return new WfdbRecord(header, digital, annotations);
    }

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
