using System.Net;
using EcgOrleans.Ml.Runtime;
using EcgOrleans.Ml.Saliency;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Storage;
using StackExchange.Redis;

namespace EcgOrleans.Grains.Hosting;

/// <summary>The one place a silo is wired, shared by the silo host and the client's in-process silo.</summary>
public static class EcgSiloHosting
{
    /// <summary>How long a stopping silo may take to leave the cluster gracefully.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Providers from the "Ecg" section (see <see cref="EcgOptions"/>; environment variables such as Ecg__Clustering override it).</summary>
    public static ISiloBuilder AddEcgOrleans(this ISiloBuilder silo, IConfiguration configuration)
    {
        var section = configuration.GetSection(EcgOptions.Section);
        var options = section.Get<EcgOptions>() ?? new EcgOptions();
        silo.Services.Configure<EcgOptions>(section);

        switch (options.Clustering.ToLowerInvariant())
        {
            case "localhost":
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                break;
            case "development":
                silo.UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, options.PrimarySiloPort));
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (options.ClusterId, options.ServiceId));
                silo.ConfigureEndpoints(IPAddress.Loopback, options.SiloPort, options.GatewayPort);
                break;
            case "redis":
                silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(options.Redis));
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (options.ClusterId, options.ServiceId));
                silo.ConfigureEndpoints(AdvertisedAddress(options), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: options.Tls.Enabled);
                break;
            case "kubernetes":
                // Pods reach each other over the pod network: never without mutual TLS.
                if (!options.Tls.Enabled)
                    throw new InvalidOperationException("Ecg:Clustering 'kubernetes' needs Ecg:Tls (Certificate, Key, Ca): silos reach each other over the pod network");
                // Pod name, IP, cluster and service ids come from the pod's environment (deploy/k8s).
                silo.UseKubernetesHosting();
                silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(options.Redis));
                break;
            default:
                throw new InvalidOperationException($"Ecg:Clustering '{options.Clustering}' is not one of: localhost, development, redis, kubernetes");
        }

        switch (options.Storage.ToLowerInvariant())
        {
            case "memory":
                silo.AddMemoryGrainStorage(EcgStorage.Name);
                break;
            case "redis":
                silo.AddRedisGrainStorage(EcgStorage.Name, o => o.ConfigurationOptions = RedisOptions(options.Redis));
                break;
            default:
                throw new InvalidOperationException($"Ecg:Storage '{options.Storage}' is not one of: memory, redis");
        }

        if (options.Tls.Enabled) silo.UseEcgTls(options.Tls);
        else silo.Services.PostConfigure<EndpointOptions>(ListenOnLoopback);

        return silo.AddEcgGrains(options);
    }

    /// <summary>Without TLS, nothing from another host may open a connection to the silo or gateway port.</summary>
    private static void ListenOnLoopback(EndpointOptions endpoints)
    {
        if (!IPAddress.IsLoopback(endpoints.AdvertisedIPAddress))
            throw new InvalidOperationException(
                $"the silo advertises {endpoints.AdvertisedIPAddress}, but without Ecg:Tls its silo and gateway ports listen on 127.0.0.1 only; " +
                "configure Ecg:Tls (Certificate, Key, Ca) or advertise 127.0.0.1");
        endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Loopback, endpoints.SiloPort);
        endpoints.GatewayListeningEndpoint = endpoints.GatewayPort > 0 ? new IPEndPoint(IPAddress.Loopback, endpoints.GatewayPort) : null;
    }

    private static IPAddress AdvertisedAddress(EcgOptions options)
    {
        if (!IPAddress.TryParse(options.AdvertisedIp, out var address))
            throw new InvalidOperationException($"Ecg:AdvertisedIp '{options.AdvertisedIp}' is not an IP address");
        if (!options.Tls.Enabled && !IPAddress.IsLoopback(address))
            throw new InvalidOperationException(
                $"Ecg:AdvertisedIp {address} is reachable from other hosts, and the silo has no Ecg:Tls: configure Ecg:Tls (Certificate, Key, Ca) or advertise 127.0.0.1");
        return address;
    }

    /// <summary>What every EcgOrleans silo needs whatever its providers (a test cluster brings its own clustering and storage).</summary>
    public static ISiloBuilder AddEcgGrains(this ISiloBuilder silo, EcgOptions options)
    {
        // LibTorch's thread count and glibc's heap settings are process-wide and must be set before any tensor work.
        TorchThreads.Configure(options.TorchThreads);
        NativeHeap.Configure();
        // Grain state in Orleans' binary format rather than the default JSON: class maps and record state are
        // float arrays written on every merge and commit point, and turning them into JSON text is CPU the
        // scoring could use.
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        if (!silo.Services.Any(s => s.ServiceType == typeof(BundledModels)))
        {
            silo.Services.AddSingleton<BundledModels>(); // also read by the silo's readiness check
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(s => s.GetRequiredService<BundledModels>());
        }
        // A stop (SIGTERM, SIGINT) deactivates the grains, writes their state and leaves the membership table; past
        // this bound Orleans stops ungracefully, well inside Kubernetes' grace period (deploy/k8s/silo.yaml).
        silo.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        return silo;
    }

    /// <summary>Redis connection options that ride out a restarting server instead of failing at start.</summary>
    public static ConfigurationOptions RedisOptions(string connection)
    {
        var options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = false;
        return options;
    }
}
