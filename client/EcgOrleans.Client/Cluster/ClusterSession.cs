using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using EcgOrleans.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace EcgOrleans.Client.Cluster;

/// <summary>A connection to the cluster for the life of one command: a client of a running silo, or an in-process silo.</summary>
internal sealed class ClusterSession : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly StrongBox<bool> _stopping;

    private ClusterSession(IHost host, bool inProcess, StrongBox<bool> stopping)
    {
        _host = host;
        _stopping = stopping;
        InProcess = inProcess;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public IGrainFactory Grains => Client;

    public bool InProcess { get; }

    public static async Task<ClusterSession> StartAsync(ClusterSettings settings, CancellationToken cancellation, IDictionary<string, string?>? siloConfiguration = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        // Orleans errors matter while the session works; once it stops, a lone silo logs every grain it cannot migrate
        // and every call still in flight: noise for a command that has finished.
        var stopping = new StrongBox<bool>();
        // While a client connects, its failures are the one-line error ClusterConnection gives; Orleans would log each
        // attempt with a stack trace.
        var connecting = new StrongBox<bool>(!settings.InProcess);
        builder.Logging.AddFilter("Orleans", level => level >= (stopping.Value || connecting.Value ? LogLevel.Critical : LogLevel.Error));
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", level => level >= (connecting.Value ? LogLevel.Critical : LogLevel.Warning));
        if (settings.InProcess)
        {
            // Free ports, so an in-process silo never collides with a silo already running here.
            var values = new Dictionary<string, string?>
            {
                ["Ecg:SiloPort"] = FreePort().ToString(),
                ["Ecg:GatewayPort"] = FreePort().ToString(),
                ["Ecg:ClusterId"] = settings.ClusterId,
                ["Ecg:ServiceId"] = settings.ServiceId,
            };
            foreach (var (key, value) in siloConfiguration ?? new Dictionary<string, string?>()) values[key] = value;
            builder.Configuration.AddInMemoryCollection(values);
            builder.Configuration.AddEnvironmentVariables();
            builder.UseOrleans(silo => silo.AddEcgOrleans(builder.Configuration));
        }
        else
        {
            builder.UseOrleansClient(client =>
            {
                if (settings.Redis is { } redis) client.UseRedisClustering(o => o.ConfigurationOptions = EcgSiloHosting.RedisOptions(redis));
                else client.UseStaticClustering(Gateways(settings.Gateway));
                if (settings.Tls.Enabled) client.UseEcgTls(settings.Tls);
                client.UseConnectionRetryFilter(ClusterConnection.RetryFilter());
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = settings.ClusterId;
                    o.ServiceId = settings.ServiceId;
                });
            });
        }
        var host = builder.Build();
        if (settings.InProcess)
        {
            await host.StartAsync(cancellation);
            return new ClusterSession(host, inProcess: true, stopping);
        }
        try
        {
            await ClusterConnection.ConnectAsync(host, settings, cancellation);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        connecting.Value = false;
        return new ClusterSession(host, settings.InProcess, stopping);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Value = true;
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _host.Dispose();
        }
    }

    internal static IPEndPoint[] Gateways(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) text = ClusterDefaults.Gateway;
        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];

        static IPEndPoint Parse(string endpoint)
        {
            var colon = endpoint.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], out var port) || port is <= 0 or > 65535)
                throw new ArgumentException($"gateway '{endpoint}' is not host:port");
            var host = endpoint[..colon];
            var address = IPAddress.TryParse(host, out var ip) ? ip
                : Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                  ?? throw new ArgumentException($"gateway host '{host}' does not resolve to an IPv4 address");
            return new IPEndPoint(address, port);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
