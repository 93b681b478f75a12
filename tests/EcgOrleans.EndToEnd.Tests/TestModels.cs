using EcgOrleans.Client.Commands.Hosting;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Tests;
using static TorchSharp.torch;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary>
/// Checkpoints made on the spot under the bundled models' names: untrained but deterministic models are enough to
/// check the plumbing, and the tests never depend on (or overwrite) the trained checkpoints under models/.
/// </summary>
internal static class TestModels
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = TestData.NewTempDirectory("ecg-models");
        foreach (var name in DemoCommand.Models) Save(Path.Combine(folder, name + ".ckpt"), name.StartsWith("resnet", StringComparison.Ordinal) ? "resnet" : "kachuee");
        return folder;
    });

    /// <summary>A folder holding a checkpoint for each model the demo compares.</summary>
    public static string DemoFolder => Folder.Value;

    private static void Save(string path, string architecture, int seed = 3)
    {
        var representation = BeatRepresentation.Window;
        manual_seed(seed);
        using var model = ModelFactory.Create(architecture, representation.Length, RhythmFeatures.Count);
        Checkpoint.Save(path, model, new CheckpointMetadata
        {
            Architecture = architecture,
            Representation = representation.Name,
            WaveformLength = representation.Length,
            RhythmFeatureCount = RhythmFeatures.Count,
            RhythmFeatureNames = RhythmFeatures.Names,
            Classes = [.. Aami.Classes.Select(c => c.ToString())],
            Protocol = "inter",
            Seed = seed,
            Created = DateTimeOffset.UnixEpoch,
        });
    }
}
