using System.Security.Cryptography;
using EcgOrleans.Abstractions;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Grains;

[GenerateSerializer, Alias("ecg.ModelCheckpointState")]
public sealed class ModelCheckpointState
{
    [Id(0)] public byte[]? Checkpoint { get; set; }

    [Id(1)] public string? Sha256 { get; set; }
}

/// <summary>
/// The bytes of one checkpoint version ("name@version"), stored apart so that the registry's state holds no checkpoint
/// (each may be up to <see cref="ModelRegistryGrain.MaxCheckpointBytes"/>). Called once per version by the registry
/// and once per model grain activation, so it leaves memory when a call is done (and a failed write leaves nothing in
/// memory that storage does not hold: the next call reads storage again).
/// </summary>
public sealed class ModelCheckpointGrain(
    [PersistentState("checkpoint", EcgStorage.Name)] IPersistentState<ModelCheckpointState> state) : Grain, IModelCheckpointGrain
{
    public async Task Store(byte[] checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        DeactivateOnIdle();
        var sha = Convert.ToHexStringLower(SHA256.HashData(checkpoint));
        if (state.State.Checkpoint is not null && state.State.Sha256 == sha) return;
        state.State.Checkpoint = checkpoint;
        state.State.Sha256 = sha;
        await state.WriteStateAsync();
    }

    public Task<byte[]> Get()
    {
        DeactivateOnIdle();
        return state.State.Checkpoint is { } bytes
            ? Task.FromResult(bytes)
            : throw new EcgRequestException(Codes.UnknownModel, $"unknown model '{this.GetPrimaryKeyString()}': no checkpoint is stored for it");
    }
}
