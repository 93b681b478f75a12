using EcgOrleans.Ml.Saliency;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EcgOrleans.Grains.Hosting;

/// <summary>The one place a silo is wired, shared by the silo host and the client's in-process silo.</summary>
public static class EcgSiloHosting
{
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
            default:
                throw new InvalidOperationException($"Ecg:Clustering '{options.Clustering}' is not one of: localhost");
        }

        switch (options.Storage.ToLowerInvariant())
        {
            case "memory":
                silo.AddMemoryGrainStorage(EcgStorage.Name);
                break;
            default:
                throw new InvalidOperationException($"Ecg:Storage '{options.Storage}' is not one of: memory");
        }

        return silo.AddEcgGrains(options);
    }

    /// <summary>What every EcgOrleans silo needs whatever its providers (a test cluster brings its own clustering and storage).</summary>
    public static ISiloBuilder AddEcgGrains(this ISiloBuilder silo, EcgOptions options)
    {
        // LibTorch's thread count is process-wide and must be set before any tensor work.
        TorchThreads.Configure(options.TorchThreads);
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, BundledModels>());
        return silo;
    }
}
