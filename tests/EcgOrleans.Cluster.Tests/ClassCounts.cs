using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Signal.Beats;
using Polly;

namespace EcgOrleans.Cluster.Tests;

/// <summary>What a run's class maps count, read through the client's retries (a silo may have just been lost).</summary>
internal static class ClassCounts
{
    /// <summary>Beats per AAMI class in the run's reference class maps.</summary>
    public static async Task<long[]> Reference(IGrainFactory grains, string run)
    {
        var resilience = ClientResilience.Create();
        var counts = new long[Aami.ClassCount];
        foreach (var c in Aami.Classes)
        {
            var map = await resilience.ExecuteAsync(async _ => await grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, $"reference/{c}")).Get());
            counts[(int)c] = map.Count;
        }
        return counts;
    }
}
