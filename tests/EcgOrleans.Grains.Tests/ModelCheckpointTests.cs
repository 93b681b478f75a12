using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace EcgOrleans.Grains.Tests;

/// <summary>Each checkpoint version's bytes are in its own grain; a registry stored with the bytes inside moves them out.</summary>
public sealed class ModelCheckpointTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    private IGrainStorage Storage => _cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(EcgStorage.Name);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(EcgStorage.Name);
            silo.AddEcgGrains(new EcgOptions { Models = Path.Combine(Path.GetTempPath(), "no-bundled-models") });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_upload_keeps_the_bytes_in_the_versions_grain_and_only_metadata_in_the_registry()
    {
        var checkpoint = TestModels.Checkpoint();
        var registry = _cluster.Client.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry);

        var info = await registry.Upload("kept-apart", checkpoint);

        Assert.Equal(checkpoint, await _cluster.Client.GetGrain<IModelCheckpointGrain>(info.Key).Get());
        var stored = await Read<ModelRegistryState>("models", registry.GetGrainId());
        Assert.All(stored.Models.Values.SelectMany(v => v), m => Assert.Null(m.Checkpoint));
        Assert.Equal(info.Sha256, Assert.Single(stored.Models["kept-apart"]).Info.Sha256);
    }

    [Fact]
    public async Task A_registry_stored_with_its_checkpoints_inside_moves_them_to_their_grains()
    {
        var checkpoint = TestModels.Checkpoint();
        var info = await _cluster.Client.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry).Upload("old", checkpoint);
        // The state a registry stored before checkpoints had their own grains, under a key no grain has activated yet.
        var legacy = _cluster.Client.GetGrain<IModelRegistryGrain>("legacy");
        await Storage.WriteStateAsync("models", legacy.GetGrainId(), new GrainState<ModelRegistryState>(new ModelRegistryState
        {
            Models = { ["old"] = [new StoredModel { Info = info with { Active = false }, Checkpoint = checkpoint }] },
            Active = { ["old"] = 1 },
        }));
        await _cluster.Client.GetGrain<IModelCheckpointGrain>(info.Key).Store([1, 2, 3]); // not the bytes the registry holds

        Assert.Equal(info.Key, (await legacy.Resolve("old")).Key);

        Assert.Equal(checkpoint, await _cluster.Client.GetGrain<IModelCheckpointGrain>(info.Key).Get());
        var stored = await Read<ModelRegistryState>("models", legacy.GetGrainId());
        Assert.Null(Assert.Single(stored.Models["old"]).Checkpoint);
    }

    [Fact]
    public async Task A_version_never_stored_is_an_unknown_model()
    {
        var error = await Assert.ThrowsAsync<EcgRequestException>(() => _cluster.Client.GetGrain<IModelCheckpointGrain>("missing@1").Get());
        Assert.Equal(EcgRequestException.Codes.UnknownModel, error.Code);
    }

    private async Task<T> Read<T>(string name, GrainId id) where T : new()
    {
        var state = new GrainState<T>(new T());
        await Storage.ReadStateAsync(name, id, state);
        Assert.True(state.RecordExists);
        return state.State!;
    }
}
