using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;

namespace EcgOrleans.Client.Cluster;

/// <summary>A cluster the client cannot use: the message says what answered, what did not, and what to do.</summary>
internal sealed class ClusterConnectionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// How a client connects, and why it fails fast: a TCP probe of the gateways (or of Redis) first, so that an absent silo
/// is named within seconds; then the Orleans connection, given a few seconds of retries, so that a silo that listens but
/// refuses this client (another cluster id or service id, TLS) is told apart from one that is not there.
/// </summary>
internal static class ClusterConnection
{
    /// <summary>How long a TCP connect may take before the address counts as silent.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long the Orleans connection retries once the address answers (a silo still starting gets this long).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public const string StartSilo = "start one with `ecg silo`, `dotnet run --project silo/EcgOrleans.Silo` or `deploy/local-cluster.sh up 1`, or pass --in-process";

    /// <summary>Connects the client host, or throws <see cref="ClusterConnectionException"/> naming the cause.</summary>
    public static async Task ConnectAsync(IHost host, ClusterSettings settings, CancellationToken cancellation)
    {
        string where;
        if (settings.Redis is { } redis)
        {
            where = $"Redis at {redis}";
            var (redisHost, port) = RedisEndpoint(redis);
            if (!await ListensAsync(redisHost, port, cancellation))
                throw new ClusterConnectionException($"no Redis answers at {redisHost}:{port}; start a cluster with `deploy/local-cluster.sh up 1`, or pass a silo's --gateway HOST:PORT");
        }
        else
        {
            var gateways = ClusterSession.Gateways(settings.Gateway);
            where = string.Join(", ", gateways.Select(g => g.ToString()));
            var open = await Task.WhenAll(gateways.Select(g => ListensAsync(g.Address.ToString(), g.Port, cancellation)));
            if (!open.Any(o => o)) throw new ClusterConnectionException($"no silo listens at {where}; {StartSilo}");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(ConnectTimeout + ProbeTimeout);
        try
        {
            await host.StartAsync(limit.Token);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            throw new ClusterConnectionException(Refused(settings, where, e), e);
        }
    }

    /// <summary>What a refused connection means, and what to pass instead.</summary>
    internal static string Refused(ClusterSettings settings, string where, Exception cause)
    {
        var ids = $"cluster id '{settings.ClusterId}' / service id '{settings.ServiceId}'";
        var fix = $"pass the --cluster-id and --service-id its silos run with (`ecg silo`, the silo project and deploy/local-cluster.sh use {ClusterDefaults.ClusterId} and {ClusterDefaults.ServiceId})";
        var tls = settings.Tls.Enabled ? "; or its TLS CA differs from --tls-ca" : "; or it requires mutual TLS (--tls-cert, --tls-key, --tls-ca)";
        var reason = cause is OperationCanceledException ? $"no answer in {(ConnectTimeout + ProbeTimeout).TotalSeconds:0} s" : FirstLine(cause.Message);
        return settings.Redis is not null
            ? $"{where} lists no silo that takes {ids} ({reason}); {fix}{tls}"
            : $"a silo listens at {where} but refused {ids} ({reason}); {fix}{tls}";
    }

    /// <summary>
    /// The Orleans client's retry policy while it connects: every half second, for <see cref="ConnectTimeout"/> after the
    /// first failure (Orleans's own default waits minutes).
    /// </summary>
    public static Func<Exception, CancellationToken, Task<bool>> RetryFilter()
    {
        long first = 0;
        return async (_, cancellation) =>
        {
            if (first == 0) Interlocked.CompareExchange(ref first, Stopwatch.GetTimestamp(), 0);
            if (Stopwatch.GetElapsedTime(first) >= ConnectTimeout) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
            return true;
        };
    }

    /// <summary>Whether something accepts a TCP connection at the address within <see cref="ProbeTimeout"/>.</summary>
    public static async Task<bool> ListensAsync(string host, int port, CancellationToken cancellation)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(ProbeTimeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, limit.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The first endpoint of a StackExchange.Redis connection string ("host:port,password=...").</summary>
    internal static (string Host, int Port) RedisEndpoint(string connection)
    {
        var endpoint = connection.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(part => !part.Contains('=')) ?? "127.0.0.1";
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint[(colon + 1)..], out var port) ? (endpoint[..colon], port) : (endpoint, 6379);
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 200 ? line : line[..200] + "…";
    }
}

/// <summary>The cluster a client joins unless told otherwise: the silo's defaults, which deploy/local-cluster.sh uses too.</summary>
internal static class ClusterDefaults
{
    public const string ClusterId = "ecg";
    public const string ServiceId = "ecg-orleans";
    public const string Gateway = "127.0.0.1:30000";
}
