using System.Globalization;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using Xunit.Abstractions;

namespace EcgOrleans.Ml.Tests;

/// <summary>
/// Whether the bundled models recognise the classes of the demo's default data, the synthetic database: if they
/// did not, the demo's class maps would explain errors, not classes. The records are the demo's own
/// (<c>ecg demo</c> with no --data: DemoSettings' seed 1, 4 records of 180 s, served by <see cref="SyntheticSource"/>),
/// cut as the record grains cut them: one beat per reference annotation, window representation (the streaming
/// segmenter is chunk-invariant, so the whole-record path gives the same beats). The targets are the bundled Kachuee
/// model's DS2 level: S Se about 50 %, V Se 85 % (models/README.md).
/// </summary>
[Trait("Category", "Slow")]
public sealed class SyntheticRecognitionTests(ITestOutputHelper output)
{
    public const int DemoSeed = 1, DemoRecords = 4;
    public const double DemoSeconds = 180;

    private static readonly Lazy<BeatSet> DemoBeats = new(() =>
    {
        var source = new SyntheticSource(DemoSeed, DemoRecords, DemoSeconds);
        var beats = source.Records.SelectMany(r => RecordBeats.Extract(source.Load(r), BeatRepresentation.Window)).ToList();
        return BeatSet.FromBeats(beats, BeatRepresentation.Window.Length, RhythmFeatures.Count);
    });

    [Fact]
    public void The_bundled_Kachuee_model_finds_the_synthetic_S_and_V_beats_as_it_finds_DS2_ones()
    {
        var result = Score("kachuee-window-ds1");

        Assert.True(result[AamiClass.S].Sensitivity >= 0.50, $"S Se {result[AamiClass.S].Sensitivity:P1}");
        Assert.True(result[AamiClass.V].Sensitivity >= 0.85, $"V Se {result[AamiClass.V].Sensitivity:P1}");
    }

    [Fact]
    public void The_bundled_ResNet_finds_the_synthetic_V_beats()
    {
        var result = Score("resnet-window-ds1");

        Assert.True(result[AamiClass.V].Sensitivity >= 0.85, $"V Se {result[AamiClass.V].Sensitivity:P1}");
    }

    [Fact]
    public void The_demo_database_holds_every_class_the_targets_are_measured_on()
    {
        var counts = DemoBeats.Value.ClassCounts();

        Assert.All(Aami.Classes, c => Assert.True(counts[(int)c] >= 10, $"{c}: {counts[(int)c]} beats"));
    }

    /// <summary>The model's per-class figures on the demo's beats, written to the test output as a table.</summary>
    private EvaluationResult Score(string model)
    {
        var loaded = Checkpoint.Load(Path.Combine(BundledCheckpointTests.ModelsDirectory, model + ".ckpt"));
        using var classifier = loaded.Model;
        var beats = DemoBeats.Value;
        var confusion = Evaluator.Confusion(beats.Labels, Evaluator.Predict(classifier, beats));
        var result = Metrics.From(confusion);

        var invariant = CultureInfo.InvariantCulture;
        static string Percent(double? value) => value is { } v ? (100 * v).ToString("0.0", CultureInfo.InvariantCulture) : "–";
        output.WriteLine(string.Create(invariant, $"{model} on synthetic seed {DemoSeed}, {DemoRecords} records x {DemoSeconds} s ({beats.Count} beats)"));
        output.WriteLine("class  beats  Se %   +P %   called N S V F Q");
        foreach (var c in Aami.Classes)
        {
            var row = string.Join(" ", Aami.Classes.Select(p => confusion[c, p].ToString(invariant)));
            output.WriteLine(string.Create(invariant,
                $"{c,-5}  {confusion.ReferenceCount(c),5}  {Percent(result[c].Sensitivity),5}  {Percent(result[c].PositivePredictivity),5}   {row}"));
        }
        output.WriteLine(string.Create(invariant, $"accuracy {Percent(result.Accuracy)} %"));
        return result;
    }
}
