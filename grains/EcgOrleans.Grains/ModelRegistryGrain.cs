using System.Security.Cryptography;
using EcgOrleans.Abstractions;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Signal.Beats;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Grains;

[GenerateSerializer, Alias("ecg.StoredModel")]
public sealed class StoredModel
{
    [Id(0)] public required ModelInfo Info { get; set; }

    /// <summary>
    /// The checkpoint's bytes as registries stored them before each version had its own <see cref="IModelCheckpointGrain"/>;
    /// null since. A registry that reads bytes here moves them there when it activates.
    /// </summary>
    [Id(1)] public byte[]? Checkpoint { get; set; }
}

[GenerateSerializer, Alias("ecg.ModelRegistryState")]
public sealed class ModelRegistryState
{
    [Id(0)] public Dictionary<string, List<StoredModel>> Models { get; set; } = [];
    [Id(1)] public Dictionary<string, int> Active { get; set; } = [];
}

/// <summary>
/// The cluster's checkpoints ("default"): versions per model name, one active version each. It keeps what it knows
/// about each version; the bytes are in the version's <see cref="IModelCheckpointGrain"/>.
/// </summary>
public sealed class ModelRegistryGrain(
    [PersistentState("models", EcgStorage.Name)] IPersistentState<ModelRegistryState> state,
    IGrainFactory grains) : Grain, IModelRegistryGrain
{
    public const int MaxCheckpointBytes = 64 << 20;

    /// <summary>Moves the bytes a registry stored before checkpoints had their own grains into those grains.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var moved = false;
        foreach (var stored in state.State.Models.Values.SelectMany(v => v).Where(s => s.Checkpoint is not null))
        {
            // The bytes are stored there before they leave here: a failure in between moves them again next time.
            await grains.GetGrain<IModelCheckpointGrain>(stored.Info.Key).Store(stored.Checkpoint!);
            stored.Checkpoint = null;
            moved = true;
        }
        if (moved) await state.WriteStateAsync(cancellationToken);
    }

    public async Task<ModelInfo> Upload(string name, byte[] checkpoint)
    {
        GrainKeys.CheckPart(name, "model name");
        if (name.Contains('@')) throw new EcgRequestException(Codes.InvalidArgument, $"model name '{name}' must not contain '@'");
        if (checkpoint is null || checkpoint.Length == 0 || checkpoint.Length > MaxCheckpointBytes)
            throw new EcgRequestException(Codes.InvalidModel, $"model '{name}': a checkpoint of {checkpoint?.Length ?? 0} bytes is not between 1 byte and {MaxCheckpointBytes} bytes");

        CheckpointMetadata metadata;
        try
        {
            // Build the model once: a checkpoint that does not load is refused here, not at scoring time.
            var loaded = Checkpoint.Load(checkpoint, $"upload of {name}");
            metadata = loaded.Metadata;
            loaded.Model.Dispose();
        }
        catch (CheckpointException e)
        {
            throw new EcgRequestException(Codes.InvalidModel, $"model '{name}': {e.Message}");
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(checkpoint));
        var versions = state.State.Models.TryGetValue(name, out var list) ? list : state.State.Models[name] = [];
        if (versions.FirstOrDefault(v => v.Info.Sha256 == sha) is { } same) return Current(same.Info);
        // A name is one model: runs that ask for it by name must not get another architecture from one version to the next.
        if (versions.Count > 0 && versions[0].Info.Architecture != metadata.Architecture)
            throw new EcgRequestException(Codes.InvalidModel,
                $"model '{name}' is a {versions[0].Info.Architecture} model; a {metadata.Architecture} checkpoint cannot be its next version (upload it under another name)");

        var version = versions.Count == 0 ? 1 : versions.Max(v => v.Info.Version) + 1;
        var info = new ModelInfo(name, version, false, metadata.Architecture, metadata.Representation, metadata.WaveformLength,
            metadata.RhythmFeatureCount, sha, checkpoint.Length, Summary(metadata));
        // The bytes first: a version the registry lists always has them. A failure before the registry's write leaves
        // bytes under a version it never listed, which the next upload of that version replaces.
        await grains.GetGrain<IModelCheckpointGrain>(info.Key).Store(checkpoint);
        versions.Add(new StoredModel { Info = info });
        state.State.Active.TryAdd(name, version);
        await state.WriteStateAsync();
        return Current(info);
    }

    public async Task<ModelInfo> Activate(string name, int version)
    {
        var stored = Find(name, version);
        state.State.Active[name] = version;
        await state.WriteStateAsync();
        return Current(stored.Info);
    }

    public Task<IReadOnlyList<ModelInfo>> List() =>
        Task.FromResult<IReadOnlyList<ModelInfo>>([.. state.State.Models.OrderBy(m => m.Key, StringComparer.Ordinal)
            .SelectMany(m => m.Value.Select(v => Current(v.Info)))]);

    public Task<ModelInfo> Resolve(string model)
    {
        var (name, version) = Parse(model);
        if (version is null)
        {
            if (!state.State.Active.TryGetValue(name, out var active)) throw Unknown(model);
            version = active;
        }
        return Task.FromResult(Current(Find(name, version.Value).Info));
    }

    private StoredModel Find(string name, int version) =>
        state.State.Models.TryGetValue(name, out var versions) && versions.FirstOrDefault(v => v.Info.Version == version) is { } stored
            ? stored
            : throw Unknown($"{name}@{version}");

    private ModelInfo Current(ModelInfo info) =>
        info with { Active = state.State.Active.TryGetValue(info.Name, out var v) && v == info.Version };

    private EcgRequestException Unknown(string model) =>
        new(Codes.UnknownModel, $"unknown model '{model}'; known: {(state.State.Models.Count == 0 ? "none" : string.Join(", ", state.State.Models.SelectMany(m => m.Value.Select(v => v.Info.Key))))}");

    private static (string Name, int? Version) Parse(string model)
    {
        var at = model.LastIndexOf('@');
        if (at < 0) return (model, null);
        return int.TryParse(model[(at + 1)..], out var version) && version > 0
            ? (model[..at], version)
            : throw new EcgRequestException(Codes.InvalidArgument, $"'{model}' is not name or name@version");
    }

    private static string Summary(CheckpointMetadata m)
    {
        var v = m.Test?[AamiClass.V];
        var test = m.Test is null ? "" : $"; test accuracy {m.Test.Accuracy:P1}, V Se {v?.Sensitivity:P1} +P {v?.PositivePredictivity:P1}";
        return $"{m.ModelName} on {m.Representation} ({m.WaveformLength} samples, {m.RhythmFeatureCount} rhythm features), {m.Protocol} protocol{test}";
    }
}
