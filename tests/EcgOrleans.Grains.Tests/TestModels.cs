using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

namespace EcgOrleans.Grains.Tests;

/// <summary>Checkpoints made on the spot: an untrained but deterministic model is enough to check the plumbing.</summary>
internal static class TestModels
{
    // Test collections run in parallel, and torch's generator is process-wide: two fixtures seeding and drawing
    // weights at once interleave their draws, so "the same" model differs between a silo and its one-pass check.
    // One lock makes every checkpoint a function of its arguments; the cache saves building it again.
    private static readonly Lock Gate = new();
    private static readonly Dictionary<(string, string, int, int), byte[]> Made = [];

    public static byte[] Checkpoint(string architecture = "kachuee", BeatRepresentation? representation = null, int rhythm = 4, int seed = 3)
    {
        var rep = representation ?? BeatRepresentation.Window;
        lock (Gate)
        {
            if (!Made.TryGetValue((architecture, rep.Name, rhythm, seed), out var bytes))
                Made[(architecture, rep.Name, rhythm, seed)] = bytes = Build(architecture, rep, rhythm, seed);
            return bytes.ToArray(); // a copy: some tests corrupt the bytes they get
        }
    }

    private static byte[] Build(string architecture, BeatRepresentation rep, int rhythm, int seed)
    {
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
                RhythmFeatureNames = RhythmFeatures.NamesOf(rhythm),
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
