using EcgOrleans.Client.Data;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;

namespace EcgOrleans.Client.Evaluation;

/// <summary>Which beats <c>ecg evaluate</c> scores: an MIT-BIH protocol's test beats, or every beat of some records.</summary>
/// <param name="Name">How the report names them: "inter", "intra", "ds2", "records", "all".</param>
/// <param name="Protocol">The protocol whose test beats are scored, or null for every beat of the records.</param>
/// <param name="Records">The records to read (null: every record in the folder); with a protocol, the test records kept.</param>
internal sealed record EvaluationChoice(string Name, SplitProtocol? Protocol, IReadOnlyList<string>? Records)
{
    /// <summary>
    /// What the options ask for. With none of --protocol, --split and --records, a folder that holds DS1 and DS2 gets
    /// the inter-patient test beats as before; any other folder every record in it.
    /// </summary>
    public static EvaluationChoice Of(string data, string? protocol, string? recordSet, string? records)
    {
        IReadOnlyList<string>? listed = records is null ? null : MitBihData.Parse(records);
        if (protocol is not null) return new EvaluationChoice(protocol, Protocols.Parse(protocol), listed);
        if (recordSet is not null) return new EvaluationChoice(recordSet, null, DatasetSplits.Named(recordSet));
        if (listed is not null) return new EvaluationChoice("records", null, listed);
        return MitBihData.Problem(data, Protocols.Records(SplitProtocol.Inter)) is null
            ? new EvaluationChoice("inter", SplitProtocol.Inter, null)
            : new EvaluationChoice("all", null, null);
    }

    /// <summary>The records to read: a protocol's MIT-BIH records (inter needs only its DS2 test records), else those chosen.</summary>
    public IReadOnlyList<string>? RecordsToRead => Protocol switch
    {
        SplitProtocol.Inter => DatasetSplits.Ds2,
        SplitProtocol.Intra => Protocols.Records(SplitProtocol.Intra),
        _ => Records,
    };
}

/// <summary>The beats <c>ecg evaluate</c> scores, cut from the records as the checkpoint's model takes them.</summary>
/// <param name="Frequencies">The sampling frequencies of the records read, Hz.</param>
internal sealed record EvaluationBeats(BeatSet Beats, IReadOnlyList<double> Frequencies)
{
    /// <summary>
    /// Reads the chosen records, several at once, and cuts their annotated beats in the checkpoint's representation
    /// (which resamples them to its own rate). A record that cannot be read, or has no annotation file, is refused.
    /// </summary>
    public static EvaluationBeats Load(WfdbDirectorySource source, EvaluationChoice choice, CheckpointMetadata metadata,
        RecordRefusals refusals, CancellationToken cancellation)
    {
        var representation = BeatRepresentation.Parse(metadata.Representation);
        var loaded = refusals.ForEach(source.Records, name => Cut(source, name, representation, metadata.RhythmFeatureCount), cancellation)
            .OfType<RecordCut>().ToList();
        var sets = loaded.Select(l => l.Beats).Where(b => b.Count > 0).ToList();
        if (sets.Count == 0) throw new InvalidOperationException($"no annotated beats of an AAMI class to score in the records read from {source.Directory}");
        var beats = BeatSet.Concat(sets);
        if (choice.Protocol is { } protocol)
        {
            // Inter-patient test beats are the DS2 records' beats; intra-patient ones a fixed draw over DS1 and DS2.
            if (protocol == SplitProtocol.Intra) beats = Protocols.Split(protocol, beats).Test;
            if (choice.Records is { } wanted)
            {
                var absent = wanted.Where(r => !beats.Records.Contains(r)).ToList();
                if (absent.Count > 0)
                    throw new ArgumentException($"record(s) {string.Join(", ", absent)} hold no test beats under the {Protocols.Name(protocol)}-patient protocol");
                beats = beats.OfRecords(wanted);
            }
        }
        return new EvaluationBeats(beats, [.. loaded.Select(l => l.Frequency).Distinct().Order()]);
    }

    private static RecordCut Cut(WfdbDirectorySource source, string name, BeatRepresentation representation, int rhythmCount)
    {
        var record = source.Load(name);
        if (record.AnnotationFile is null)
            throw new RecordRefusedException(new RefusedRecord(name, $"{name}.{source.Annotator}", "not found: no reference beats to score against"));
        try
        {
            return new RecordCut(BeatSet.FromBeats(RecordBeats.Extract(record, representation), representation.Length, rhythmCount), record.Header.SamplingFrequency);
        }
        catch (ArgumentException e)
        {
            // A beat the model cannot take (missing samples give NaN): the signal is at fault.
            var file = record.Header.Signals[record.PrimaryLead].FileName;
            throw new RecordRefusedException(new RefusedRecord(name, file, e.Message), e);
        }
    }

    private sealed record RecordCut(BeatSet Beats, double Frequency);
}
