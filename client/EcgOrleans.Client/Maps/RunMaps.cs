using EcgOrleans.Abstractions;
using EcgOrleans.Client.Rendering;

namespace EcgOrleans.Client.Maps;

/// <summary>A run's configuration, progress and the class maps selected from it, at one moment.</summary>
internal sealed record RunMaps(RunConfig Config, long Beats, int Records, IReadOnlyList<ClassMapView> Maps, DateTimeOffset Read)
{
    public string Name => Config.Name;

    /// <summary>Reads a run and its selected maps from the cluster; maps with no beats are left out.</summary>
    public static async Task<RunMaps> ReadAsync(IGrainFactory grains, string run, MapSelection selection, CancellationToken cancellation = default)
    {
        var info = await grains.GetGrain<IRunGrain>(run).GetInfo();
        var keys = info.ClassMaps.Where(selection.Matches).Order(MapKeyOrder.Instance).ToList();
        var maps = await Task.WhenAll(keys.Select(k => grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, k)).Get()));
        cancellation.ThrowIfCancellationRequested();
        return new RunMaps(info.Config, info.BeatsScored, info.Records.Count, [.. maps.Where(m => m.Count > 0)], DateTimeOffset.UtcNow);
    }
}
