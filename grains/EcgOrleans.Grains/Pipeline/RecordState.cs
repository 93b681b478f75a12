using EcgOrleans.Abstractions;

namespace EcgOrleans.Grains.Pipeline;

/// <summary>
/// What a record grain persists at a commit point: where the stream stands, the exact states of the segmenter and,
/// for a record without reference annotations, of the QRS detector (both dropped once the record is complete), and
/// the class-map contribution of the beats scored since the last commit point, with the publisher epoch it was
/// reserved in. At a commit point every beat cut so far has been scored, so no beat is held here.
/// </summary>
[GenerateSerializer, Alias("ecg.RecordState")]
public sealed class RecordState
{
    [Id(0)] public long NextSequence { get; set; }
    [Id(1)] public long Samples { get; set; }
    [Id(2)] public long Beats { get; set; }
    [Id(3)] public long NextBatch { get; set; }
    [Id(4)] public bool Done { get; set; }
    [Id(5)] public double SamplingFrequency { get; set; }
    [Id(6)] public bool? Annotated { get; set; }
    [Id(7)] public byte[]? Segmenter { get; set; }
    [Id(8)] public byte[]? Detector { get; set; }

    /// <summary>Contributions persisted but not known to be applied: the record resolves them when it next activates.</summary>
    [Id(9)] public List<Publication> Pending { get; set; } = [];

    /// <summary>The last chunk whose effects are durable (-1 before the first commit).</summary>
    public long CommittedSequence => NextSequence - 1;
}

/// <summary>A record's contribution to its run's class maps at one commit point, and the epoch it was reserved in.</summary>
[GenerateSerializer, Immutable, Alias("ecg.Publication")]
public sealed record Publication([property: Id(0)] PublicationTicket Ticket, [property: Id(1)] PartialMap[] Parts);
