using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using EcgOrleans.Grains.Telemetry;
using EcgOrleans.Silo.Api;
using Microsoft.Extensions.Options;

namespace EcgOrleans.Silo.Live;

/// <summary>Caps the class-map streams one silo serves at once (each holds grain subscriptions and a connection).</summary>
public sealed class StreamLimiter(IOptions<ApiOptions> options)
{
    private int _open;

    public int Limit { get; } = options.Value.MaxStreams;

    public int Open => Volatile.Read(ref _open);

    /// <summary>Takes a slot; the stream given to <see cref="Track"/> gives it back when it ends.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _open) <= Limit)
        {
            EcgMetrics.StreamOpened();
            return true;
        }
        Interlocked.Decrement(ref _open);
        EcgMetrics.StreamRefused();
        return false;
    }

    public async IAsyncEnumerable<SseItem<object>> Track(IAsyncEnumerable<SseItem<object>> events, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        try
        {
            await foreach (var item in events.WithCancellation(cancellation)) yield return item;
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            EcgMetrics.StreamClosed();
        }
    }
}
