namespace EcgOrleans.Abstractions;

/// <summary>
/// A class-map epoch a record's contribution was in was not applied (a class map failed, an epoch was abandoned, or a
/// recovering record fenced it). Not a fault of the request: the record rolls back and resolves its contribution on
/// the next call, so the client retries as it does when a silo goes away.
/// </summary>
[GenerateSerializer, Alias("ecg.PublicationFailedException")]
public sealed class PublicationFailedException : OrleansException
{
    public PublicationFailedException(string message) : base(message)
    {
    }

    public PublicationFailedException(string message, Exception inner) : base(message, inner)
    {
    }
}
