using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Hosting;
using Orleans.TestingHost;

namespace EcgOrleans.Grains.Tests;

/// <summary>Two silos with in-memory storage and two test models in the registry ("test-window", "test-kachuee").</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(EcgStorage.Name);
            silo.AddEcgGrains(new EcgOptions { Models = Path.Combine(Path.GetTempPath(), "no-bundled-models") });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        var registry = Grains.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry);
        await registry.Upload("test-window", TestModels.Checkpoint());
        await registry.Upload("test-kachuee", TestModels.Checkpoint(representation: Signal.Beats.BeatRepresentation.Kachuee));
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
