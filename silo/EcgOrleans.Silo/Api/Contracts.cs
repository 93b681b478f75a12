using System.Text.Json.Serialization;
using EcgOrleans.Abstractions;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Wfdb;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Silo.Api;

/// <summary>Creates a run, or confirms it when it exists with the same analysis.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateRunRequest
{
    /// <summary>The model: a name (its active version is fixed for the run) or name@version.</summary>
    public required string Model { get; init; }

    /// <summary>Saliency method: vanilla (default, the paper's), gradxinput, smoothgrad, ig, occlusion or gradcam.</summary>
    public string Method { get; init; } = SaliencyMethods.Name(SaliencyMethodKind.Vanilla);

    /// <summary>Which class's logit the saliency explains: predicted (default) or reference.</summary>
    public string Target { get; init; } = SaliencyTarget.Predicted.Name;

    /// <summary>The request with the method and target in their one spelling; an unknown one is refused here.</summary>
    public RunRequest ToRunRequest() => new(Required(Model, "model"),
        SaliencyMethods.Name(ParseArgument(SaliencyMethods.Parse, Required(Method, "method"))),
        ParseArgument(SaliencyTarget.Parse, Required(Target, "target")).Name);

    private static string Required(string? value, string field) => string.IsNullOrWhiteSpace(value)
        ? throw new EcgRequestException(Codes.InvalidArgument, $"the run's {field} must be a non-empty string")
        : value;
}

/// <summary>A run in the list of runs.</summary>
public sealed record RunSummary(
    string Name,
    string ModelVersion,
    string Method,
    string Target,
    string Representation,
    DateTimeOffset Created,
    int Records,
    int RecordsDone,
    long BeatsScored,
    int ClassMaps)
{
    public static RunSummary From(RunInfo info) => new(info.Config.Name, info.Config.ModelVersion, info.Config.Method,
        info.Config.Target, info.Config.Representation, info.Config.Created, info.Records.Count, info.Records.Count(r => r.Done),
        info.BeatsScored, info.ClassMaps.Count);
}

/// <summary>A class map without its curves: enough for a confusion matrix or a list.</summary>
public sealed record ClassMapSummary(string Key, string Grouping, string Class, long Count, long Merges, DateTimeOffset Updated)
{
    public static ClassMapSummary From(ClassMapView view)
    {
        var slash = view.Key.IndexOf('/');
        return new(view.Key, view.Key[..slash], view.Key[(slash + 1)..], view.Count, view.Merges, view.Updated);
    }
}

/// <summary>
/// The next chunk of one record's primary lead (the JSON form of a SignalChunk). Chunks are numbered from 0 and
/// must arrive in order; a refused chunk (409 chunk-out-of-order) says in "expectedSequence" which one to send next.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ChunkRequest
{
    public required long Sequence { get; init; }

    /// <summary>Samples per second, the same for every chunk of a record.</summary>
    public required double SamplingFrequency { get; init; }

    /// <summary>Physical values (mV) of the primary lead, in order.</summary>
    public required float[] Samples { get; init; }

    /// <summary>Reference annotations whose sample falls in this chunk; null when the record has none.</summary>
    public AnnotationRequest[]? Annotations { get; init; }

    /// <summary>The record's last chunk.</summary>
    public bool IsLast { get; init; }

    /// <summary>Score the beats held after this chunk now, instead of waiting for a full batch.</summary>
    public bool Flush { get; init; }

    public SignalChunk ToSignalChunk() =>
        new(Sequence, SamplingFrequency, Samples ?? throw new EcgRequestException(Codes.InvalidChunk, $"chunk {Sequence}: samples must be an array, not null"),
            Annotations?.Select((a, i) => a?.ToChunkAnnotation(Sequence, i)
                ?? throw new EcgRequestException(Codes.InvalidChunk, $"chunk {Sequence}, annotation {i}: null is not an annotation")).ToArray(),
            IsLast, Flush);
}

/// <summary>One reference annotation: its sample number in the record, and either its WFDB code (1 = N, 5 = V, ...) or its symbol ("N", "V", "A", ...).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AnnotationRequest
{
    public required long Sample { get; init; }

    public int? Code { get; init; }

    public string? Symbol { get; init; }

    public ChunkAnnotation ToChunkAnnotation(long chunk, int index)
    {
        var code = (Code, Symbol) switch
        {
            ({ } c, null) when AnnotationCodes.IsDefined(c) => (byte)c,
            ({ } c, null) => throw Invalid(chunk, index, $"code {c} is not in the WFDB annotation-code table"),
            (null, { } s) when AnnotationCodes.TryParse(s, out var parsed) => (byte)parsed,
            (null, { } s) => throw Invalid(chunk, index, $"symbol '{s}' is not a WFDB annotation symbol (N, L, R, A, V, F, /, Q, ...)"),
            _ => throw Invalid(chunk, index, "give either a code or a symbol"),
        };
        return new ChunkAnnotation(Sample, code);
    }

    private static EcgRequestException Invalid(long chunk, int index, string problem) =>
        new(Codes.InvalidChunk, $"chunk {chunk}, annotation {index}: {problem}");
}
