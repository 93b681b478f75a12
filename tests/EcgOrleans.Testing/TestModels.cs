using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

namespace EcgOrleans.Tests;

/// <summary>
/// Checkpoints made on the spot: an untrained but deterministic model is enough to check the plumbing, and the tests
/// never depend on (or overwrite) the trained checkpoints under models/.
/// </summary>
public static class TestModels
{
    // Test collections run in parallel, and torch's generator is process-wide: two fixtures seeding and drawing
    // weights at once interleave their draws, so "the same" model differs between a silo and its one-pass check.
    // One lock makes every checkpoint a function of its arguments; the cache saves building it again.
    private static readonly Lock Gate = new();
    private static readonly Dictionary<(string, string, int, int), byte[]> Made = [];
    private static readonly Dictionary<string, string> Folders = [];

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

    /// <summary>
    /// A folder holding a checkpoint for each name (name.ckpt): a ResNet for names starting "resnet", else a Kachuee
    /// CNN, window representation, every rhythm feature. The same names give the same folder for the whole run.
    /// </summary>
    public static string Folder(IEnumerable<string> names)
    {
        var list = names.ToList();
        var key = string.Join('\n', list);
        lock (Gate) // re-entered by Checkpoint below: Lock allows that on the same thread
        {
            if (Folders.TryGetValue(key, out var made)) return made;
            var folder = TestData.NewTempDirectory("ecg-models");
            foreach (var name in list)
            {
                var architecture = name.StartsWith("resnet", StringComparison.Ordinal) ? "resnet" : "kachuee";
                File.WriteAllBytes(Path.Combine(folder, name + ".ckpt"), Checkpoint(architecture, rhythm: RhythmFeatures.Count));
            }
            return Folders[key] = folder;
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
