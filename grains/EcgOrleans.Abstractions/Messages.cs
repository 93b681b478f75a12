namespace EcgOrleans.Abstractions;

/// <summary>A reference beat annotation inside a chunk: sample number in the record and the WFDB code (0..49).</summary>
[GenerateSerializer, Immutable, Alias("ecg.ChunkAnnotation")]
public readonly record struct ChunkAnnotation([property: Id(0)] long Sample, [property: Id(1)] byte Code);

/// <summary>
/// The next piece of one record's primary lead, numbered from 0. Chunks must arrive in order; a chunk is
/// applied once. <see cref="Annotations"/> carries the reference annotations whose samples fall in this
/// chunk (null: the record has none, and the QRS detector finds the beats). <see cref="Flush"/> asks the
/// record grain to score the beats it holds after this chunk instead of waiting for a full batch (live
/// monitors set it so maps update within seconds); it is part of the chunk, so a re-sent chunk batches alike.
/// </summary>
[GenerateSerializer, Immutable, Alias("ecg.SignalChunk")]
public sealed record SignalChunk(
    [property: Id(0)] long Sequence,
    [property: Id(1)] double SamplingFrequency,
    [property: Id(2)] float[] Samples,
    [property: Id(3)] ChunkAnnotation[]? Annotations,
    [property: Id(4)] bool IsLast,
    [property: Id(5)] bool Flush = false);

/// <summary>What a record grain answers to an accepted chunk.</summary>
/// <param name="NextSequence">The sequence number it expects next.</param>
/// <param name="CommittedSequence">Chunks up to and including this one are durable (-1: none): after a failure the record resumes after it.</param>
/// <param name="BatchMilliseconds">How long each batch this chunk closed took to score and merge (for latency figures).</param>
[GenerateSerializer, Immutable, Alias("ecg.ChunkAck")]
public sealed record ChunkAck(
    [property: Id(0)] long NextSequence,
    [property: Id(1)] long CommittedSequence,
    [property: Id(2)] long Beats,
    [property: Id(3)] bool Done,
    [property: Id(4)] float[]? BatchMilliseconds = null);

/// <summary>A record's progress inside a run.</summary>
[GenerateSerializer, Immutable, Alias("ecg.RecordProgress")]
public sealed record RecordProgress(
    [property: Id(0)] string Dataset,
    [property: Id(1)] string Record,
    [property: Id(2)] long NextSequence,
    [property: Id(3)] long CommittedSequence,
    [property: Id(4)] long Samples,
    [property: Id(5)] long BeatsScored,
    [property: Id(6)] long Batches,
    [property: Id(7)] bool Done);

/// <summary>What a run analyses with: model, saliency method and target, fixed when the run is created.</summary>
[GenerateSerializer, Immutable, Alias("ecg.RunRequest")]
public sealed record RunRequest(
    [property: Id(0)] string Model,
    [property: Id(1)] string Method = "vanilla",
    [property: Id(2)] string Target = "predicted");

/// <summary>A run as stored: the request resolved to an exact model version and its representation.</summary>
[GenerateSerializer, Immutable, Alias("ecg.RunConfig")]
public sealed record RunConfig(
    [property: Id(0)] string Name,
    [property: Id(1)] string ModelVersion,
    [property: Id(2)] string Method,
    [property: Id(3)] string Target,
    [property: Id(4)] string Representation,
    [property: Id(5)] int WaveformLength,
    [property: Id(6)] int RhythmFeatures,
    [property: Id(7)] DateTimeOffset Created);

/// <summary>A run with its records' progress and the class maps it has.</summary>
[GenerateSerializer, Immutable, Alias("ecg.RunInfo")]
public sealed record RunInfo(
    [property: Id(0)] RunConfig Config,
    [property: Id(1)] IReadOnlyList<RecordProgress> Records,
    [property: Id(2)] IReadOnlyList<string> ClassMaps,
    [property: Id(3)] long BeatsScored);

/// <summary>
/// A batch of beats of one record on its way to a model. Waveforms and rhythm features are flattened
/// row-major (B × L and B × R). References holds the AAMI class index, or 255 when the beat has none.
/// </summary>
[GenerateSerializer, Immutable, Alias("ecg.BeatBatch")]
public sealed record BeatBatch(
    [property: Id(0)] string RecordKey,
    [property: Id(1)] long Sequence,
    [property: Id(2)] int Count,
    [property: Id(3)] int WaveformLength,
    [property: Id(4)] int RhythmFeatures,
    [property: Id(5)] float[] Waveforms,
    [property: Id(6)] float[] Rhythm,
    [property: Id(7)] byte[] References,
    [property: Id(8)] long[] Samples)
{
    public const byte NoReference = 255;
}

/// <summary>
/// The running statistics of one class map, or the part one batch adds to it: count, mean and M2 (sum of
/// squared deviations) of the saliency maps and of the beats themselves, over waveform then rhythm values.
/// </summary>
[GenerateSerializer, Immutable, Alias("ecg.PartialMap")]
public sealed record PartialMap(
    [property: Id(0)] string Key,
    [property: Id(1)] int WaveformLength,
    [property: Id(2)] long Count,
    [property: Id(3)] double[] SaliencyMean,
    [property: Id(4)] double[] SaliencyM2,
    [property: Id(5)] double[] BeatMean,
    [property: Id(6)] double[] BeatM2);

/// <summary>A model's answer for a batch: probabilities (B × 5), predicted classes, and the partial class maps of the batch.</summary>
[GenerateSerializer, Immutable, Alias("ecg.BatchScores")]
public sealed record BatchScores(
    [property: Id(0)] float[] Probabilities,
    [property: Id(1)] byte[] Predicted,
    [property: Id(2)] IReadOnlyList<PartialMap> Partials);

/// <summary>A class map as clients see it: averages and standard deviations as floats, for plotting.</summary>
[GenerateSerializer, Immutable, Alias("ecg.ClassMapView")]
public sealed record ClassMapView(
    [property: Id(0)] string Run,
    [property: Id(1)] string Key,
    [property: Id(2)] long Count,
    [property: Id(3)] int WaveformLength,
    [property: Id(4)] float[] SaliencyMean,
    [property: Id(5)] float[] SaliencySd,
    [property: Id(6)] float[] BeatMean,
    [property: Id(7)] float[] BeatSd,
    [property: Id(8)] long Merges,
    [property: Id(9)] DateTimeOffset Updated);

/// <summary>A model version in the registry.</summary>
[GenerateSerializer, Immutable, Alias("ecg.ModelInfo")]
public sealed record ModelInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] int Version,
    [property: Id(2)] bool Active,
    [property: Id(3)] string Architecture,
    [property: Id(4)] string Representation,
    [property: Id(5)] int WaveformLength,
    [property: Id(6)] int RhythmFeatures,
    [property: Id(7)] string Sha256,
    [property: Id(8)] long Bytes,
    [property: Id(9)] string Summary)
{
    public string Key => $"{Name}@{Version}";
}

/// <summary>A place in a class-map publisher's epoch: the publisher's activation and the epoch number.</summary>
[GenerateSerializer, Immutable, Alias("ecg.PublicationTicket")]
public sealed record PublicationTicket([property: Id(0)] string Publisher, [property: Id(1)] long Epoch);
