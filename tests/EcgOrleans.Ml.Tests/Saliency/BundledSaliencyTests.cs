using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Faithfulness;
using EcgOrleans.Ml.Saliency;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Tests;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests;

/// <summary>What the paper's saliency maps show, checked on the bundled models and real DS2 beats.</summary>
[Trait("Category", "Data")]
public sealed class BundledSaliencyTests(ITestOutputHelper output)
{
    private static string Model(string name) => Path.Combine(BundledCheckpointTests.ModelsDirectory, name + ".ckpt");

    private static (LoadedCheckpoint Checkpoint, BeatSet Beats, int[] Sample) Load(string name, int beats)
    {
        var loaded = Checkpoint.Load(Model(name));
        var set = MitBihBeats.Load(TestData.MitBihDirectory, BundledCheckpointTests.Records, BeatRepresentation.Parse(loaded.Metadata.Representation), loaded.Metadata.RhythmFeatureCount);
        // An even spread over the three records, the same every run.
        var step = Math.Max(1, set.Count / beats);
        return (loaded, set, [.. Enumerable.Range(0, set.Count).Where(i => i % step == 0).Take(beats)]);
    }

    /// <summary>
    /// Kachuee et al. cut a beat at 1.2 × the median RR and pad it with zeros, so where the padding starts tells the
    /// model the heart rate. A model trained on that representation looks at the padding; the window representation
    /// has no padding to look at.
    /// </summary>
    [Fact]
    public void The_kachuee_representation_model_puts_saliency_on_the_zero_padding()
    {
        var (loaded, set, sample) = Load("kachuee-kachuee-ds1", 600);
        using var model = loaded.Model;
        using var scope = NewDisposeScope();
        var (w, r, _) = set.Batch(sample);
        var result = new VanillaGradient().Attribute(model, w, r, SaliencyTargets.Predicted);
        var maps = SaliencyMaps.NormalizePerBeat(result.Attributions).to(float32).data<float>().ToArray();
        var waves = w.data<float>().ToArray();
        var length = set.Length;

        double paddingShare = 0, paddingFraction = 0;
        var padded = 0;
        for (var b = 0; b < sample.Length; b++)
        {
            var wave = waves.AsSpan(b * length, length);
            var start = length;
            while (start > 0 && wave[start - 1] == 0) start--;
            if (length - start < 4) continue; // no padding on this beat (a slow beat fills the 187 samples)
            var map = maps.AsSpan(b * length, length);
            double total = 0, onPadding = 0;
            for (var i = 0; i < length; i++) { total += map[i]; if (i >= start) onPadding += map[i]; }
            if (total <= 0) continue;
            paddingShare += onPadding / total;
            paddingFraction += (length - start) / (double)length;
            padded++;
        }
        Assert.True(padded > sample.Length / 2, $"only {padded} of {sample.Length} beats are padded");
        paddingShare /= padded;
        paddingFraction /= padded;
        output.WriteLine($"{padded} padded beats: padding is {paddingFraction:P1} of the samples and holds {paddingShare:P1} of the saliency");
        // Zero input does not mean zero gradient: the padding carries a real share of the attribution (11 % here,
        // measured on 600 beats of 200, 213 and 233), though far less per sample than the beat itself.
        Assert.True(paddingShare > 0.05, $"padding holds only {paddingShare:P1} of the saliency");
    }

    /// <summary>
    /// Every bundled window model. Their beat features are standardised, so a deleted (zeroed) feature lies several
    /// training spreads from its mean, and vanilla gradients with respect to the raw features are scaled up by one over
    /// the spread: part of each figure is the features'. Before standardisation the ResNet's ratio was 0.93.
    /// </summary>
    [Theory]
    [InlineData("kachuee-window-ds1")]
    [InlineData("kachuee-window-ds1-ensemble")]
    [InlineData("resnet-window-ds1")]
    public void On_the_bundled_window_models_vanilla_saliency_deletes_better_than_random_order(string name)
    {
        var (loaded, set, sample) = Load(name, 300);
        using var model = loaded.Model;
        using var scope = NewDisposeScope();
        var (w, r, _) = set.Batch(sample);
        var curves = DeletionTest.Run(model, new VanillaGradient(), w, r, new DeletionOptions(Steps: 16, Seed: 3));
        output.WriteLine($"{name}: {curves.Beats} beats, area under target probability: saliency order {curves.SaliencyArea:F3}, random order {curves.RandomArea:F3} (ratio {curves.AreaRatio:F2}), saliency wins on {curves.SaliencyWinRate:P0} of beats");
        Assert.True(curves.AreaRatio < 0.9, $"saliency area {curves.SaliencyArea:F3} vs random {curves.RandomArea:F3}");
        Assert.True(curves.SaliencyWinRate > 0.6, $"saliency order wins on only {curves.SaliencyWinRate:P0} of beats");
    }
}
