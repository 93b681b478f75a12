using EcgOrleans.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EcgOrleans.Grains.Hosting;

/// <summary>
/// Uploads the bundled checkpoints (models/*.ckpt) to the model registry once the silo is active, so a fresh
/// cluster can analyse with no training step. Uploads are idempotent (same bytes, same version), so every silo
/// of a cluster may do it. The silo reports ready only once they are uploaded: a client that comes as soon as the
/// gateway opens would otherwise find no model.
/// </summary>
public sealed class BundledModels(IGrainFactory grains, IOptions<EcgOptions> options, ILogger<BundledModels> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool _uploaded;

    /// <summary>Whether this silo has uploaded the bundled models (or found none to upload).</summary>
    public bool Uploaded => _uploaded;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BundledModels), ServiceLifecycleStage.Active, UploadAsync);

    public async Task UploadAsync(CancellationToken cancellation)
    {
        var folder = options.Value.ModelsFolder;
        if (!Directory.Exists(folder))
        {
            logger.LogWarning("No bundled models: folder {Folder} does not exist", folder);
            _uploaded = true;
            return;
        }
        var registry = grains.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry);
        foreach (var file in Directory.EnumerateFiles(folder, "*.ckpt").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var info = await registry.Upload(name, await File.ReadAllBytesAsync(file, cancellation));
            logger.LogInformation("Bundled model {Model}: {Summary}", info.Key, info.Summary);
        }
        _uploaded = true;
    }
}
