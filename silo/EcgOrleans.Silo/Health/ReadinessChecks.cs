using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EcgOrleans.Silo.Health;

/// <summary>Ready only when this silo is an active member of its cluster.</summary>
public sealed class SiloActiveCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} is active")
            : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status}"));
    }
}

/// <summary>Ready only when the model registry grain answers: without it no run can start and no model loads.</summary>
public sealed class ModelRegistryCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var models = await grains.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry).List().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"the model registry holds {models.Count} model versions");
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"the model registry did not answer: {e.Message}");
        }
    }
}

/// <summary>Ready only once this silo has uploaded the bundled models: a client sent here earlier could find none.</summary>
public sealed class BundledModelsCheck(BundledModels models) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(models.Uploaded
            ? HealthCheckResult.Healthy("the bundled models are uploaded")
            : HealthCheckResult.Unhealthy("the bundled models are not uploaded yet"));
}
