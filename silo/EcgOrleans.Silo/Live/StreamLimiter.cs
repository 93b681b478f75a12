using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using EcgOrleans.Silo.Api;
using Microsoft.Extensions.Options;

namespace EcgOrleans.Silo.Live;

/// <summary>Why a stream was or was not admitted.</summary>
public enum StreamAdmission
{
    Admitted,
    SiloFull,
    ClientFull,
}

/// <summary>
/// Caps the class-map streams one silo serves (each holds grain subscriptions and a connection): in all, and per client
/// address, so one client cannot take every slot. A stream whose client stops reading is dropped once one event has
/// waited longer than the write timeout to be taken by the connection.
/// </summary>
public sealed class StreamLimiter(IOptions<ApiOptions> options, StreamMetrics metrics, ILogger<StreamLimiter> logger)
{
    private readonly ConcurrentDictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private int _open;

    public int Limit { get; } = options.Value.MaxStreams;

    public int PerClientLimit { get; } = options.Value.MaxStreamsPerClient;

    public TimeSpan WriteTimeout { get; } = TimeSpan.FromSeconds(options.Value.StreamWriteTimeoutSeconds);

    public int Open => Volatile.Read(ref _open);

    /// <summary>Takes a slot for <paramref name="client"/>; the stream given to <see cref="Track"/> gives it back when it ends.</summary>
    public StreamAdmission TryEnter(string client)
    {
        if (_perClient.AddOrUpdate(client, 1, (_, n) => n + 1) > PerClientLimit)
        {
            Leave(client);
            metrics.Refused();
            return StreamAdmission.ClientFull;
        }
        if (Interlocked.Increment(ref _open) <= Limit)
        {
            metrics.Opened();
            return StreamAdmission.Admitted;
        }
        Interlocked.Decrement(ref _open);
        Leave(client);
        metrics.Refused();
        return StreamAdmission.SiloFull;
    }

    /// <summary>
    /// The events of one admitted stream. The writer asks for the next event only once it has written the last one,
    /// so an event handed out and not asked past within <see cref="WriteTimeout"/> means a client that does not read:
    /// the connection is aborted, the writer fails, and the slot comes back.
    /// </summary>
    public async IAsyncEnumerable<SseItem<object>> Track(IAsyncEnumerable<SseItem<object>> events, HttpContext http, string client,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        long handedOut = 0;
        using var watchdog = new Timer(_ =>
        {
            var since = Volatile.Read(ref handedOut);
            if (since == 0 || Stopwatch.GetElapsedTime(since) < WriteTimeout) return;
            Volatile.Write(ref handedOut, 0);
            logger.LogInformation("Dropped a class-map stream of {Client}: an event waited more than {Timeout} s to be sent", client, WriteTimeout.TotalSeconds);
            try
            {
                http.Abort();
            }
            catch (ObjectDisposedException)
            {
                // the request ended meanwhile
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var item in events.WithCancellation(cancellation))
            {
                Volatile.Write(ref handedOut, Stopwatch.GetTimestamp());
                yield return item;
                Volatile.Write(ref handedOut, 0);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            Leave(client);
            metrics.Closed();
        }
    }

    private void Leave(string client)
    {
        // Counts that fall to zero are removed, so the table holds only clients with open streams.
        if (_perClient.AddOrUpdate(client, 0, (_, n) => n - 1) <= 0) _perClient.TryRemove(new KeyValuePair<string, int>(client, 0));
    }
}
