using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Beats;

/// <summary>Beats of a whole record in memory: the one-pass path that the streaming grains must match.</summary>
public static class RecordBeats
{
    /// <summary>One beat per annotation of an AAMI class, cut from the primary lead (MLII when present).</summary>
    public static IReadOnlyList<Beat> Extract(WfdbRecord record, BeatRepresentation representation)
    {
        var marks = Marks(record.Annotations);
        var segmenter = new BeatSegmenter(record.Name, record.Header.SamplingFrequency, representation);
        var beats = new List<Beat>(marks.Length);
        beats.AddRange(segmenter.Push(record.Physical(record.PrimaryLead), marks));
        beats.AddRange(segmenter.Complete());
        return beats;
    }

    /// <summary>
    /// One unlabelled beat per R peak <see cref="QrsDetector"/> finds on the primary lead: the one-pass path for a
    /// record without reference annotations (the annotations, if any, are not used).
    /// </summary>
    public static IReadOnlyList<Beat> Detected(WfdbRecord record, BeatRepresentation representation)
    {
        var lead = record.Physical(record.PrimaryLead);
        var marks = QrsDetector.Detect(lead, record.Header.SamplingFrequency).Select(r => new BeatMark(r)).ToArray();
        var segmenter = new BeatSegmenter(record.Name, record.Header.SamplingFrequency, representation);
        var beats = new List<Beat>(marks.Length);
        beats.AddRange(segmenter.Push(lead, marks));
        beats.AddRange(segmenter.Complete());
        return beats;
    }

    /// <summary>The beat marks of a record's reference annotations: every annotation of an AAMI class.</summary>
    public static BeatMark[] Marks(IEnumerable<Annotation> annotations) =>
        [.. annotations
            .Where(a => Aami.FromCode(a.Code) is not null)
            .Select(a => new BeatMark(a.Sample, Aami.FromCode(a.Code), a.Code))];
}
