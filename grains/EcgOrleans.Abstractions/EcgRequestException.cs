namespace EcgOrleans.Abstractions;

/// <summary>
/// A request the system refuses, with a stable machine-readable <see cref="Code"/> (clients act on it: an
/// ingest client resumes from <see cref="ExpectedSequence"/> after "chunk-out-of-order") and a message that
/// names what was wrong. Nothing of a refused request is applied.
/// </summary>
[GenerateSerializer, Alias("ecg.EcgRequestException")]
public sealed class EcgRequestException : Exception
{
    public EcgRequestException(string code, string message, long? expectedSequence = null) : base(message)
    {
        Code = code;
        ExpectedSequence = expectedSequence;
    }

    [Id(0)]
    public string Code { get; }

    [Id(1)]
    public long? ExpectedSequence { get; }

    /// <summary>
    /// <paramref name="text"/> read by <paramref name="parse"/>; the <see cref="ArgumentException"/> of a value it does not
    /// know (which names the value and the valid ones) becomes an <see cref="Codes.InvalidArgument"/> refusal.
    /// </summary>
    public static T ParseArgument<T>(Func<string, T> parse, string text)
    {
        try
        {
            return parse(text);
        }
        catch (ArgumentException e)
        {
            throw new EcgRequestException(Codes.InvalidArgument, e.Message);
        }
    }

    public static class Codes
    {
        public const string UnknownRun = "unknown-run";
        public const string RunConflict = "run-conflict";
        public const string UnknownModel = "unknown-model";
        public const string InvalidModel = "invalid-model";
        public const string InvalidChunk = "invalid-chunk";
        public const string ChunkOutOfOrder = "chunk-out-of-order";
        public const string RecordComplete = "record-complete";
        public const string InvalidBatch = "invalid-batch";
        public const string InvalidArgument = "invalid-argument";
    }
}
