using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

namespace EcgOrleans.Grains.Tests;

/// <summary>Checkpoints made on the spot: an untrained but deterministic model is enough to check the plumbing.</summary>
internal static class TestModels
{
    public static byte[] Checkpoint(string architecture = "kachuee", BeatRepresentation? representation = null, int rhythm = 4, int seed = 3)
    {
        var rep = representation ?? BeatRepresentation.Window;
        manual_seed(seed);
        using var model = ModelFactory.Create(architecture, rep.Length, rhythm);
        var path = Path.Combine(Path.GetTempPath(), $"test-{Guid.NewGuid():N}.ckpt");
        try
        {
            Ml.Checkpoints.Checkpoint.Save(path, model, new CheckpointMetadata
            {
                Architecture = architecture,
                Representation = rep.Name,
                WaveformLength = rep.Length,
                RhythmFeatureCount = rhythm,
                RhythmFeatureNames = rhythm == 0 ? [] : RhythmFeatures.Names,
                Classes = [.. Aami.Classes.Select(c => c.ToString())],
                Protocol = "inter",
                Seed = seed,
                Created = DateTimeOffset.UnixEpoch,
            });
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
