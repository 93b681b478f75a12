using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests;

public sealed class ModelTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, int> Configurations()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var architecture in ModelFactory.Architectures)
        foreach (var length in new[] { BeatRepresentation.Window.Length, BeatRepresentation.Kachuee.Length })
        foreach (var rhythm in new[] { 0, RhythmFeatures.Count })
            data.Add(architecture, length, rhythm);
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Forward_gives_five_logits_per_beat_and_feature_maps(string architecture, int length, int rhythm)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = ModelFactory.Create(architecture, length, rhythm);
        model.eval();
        var (logits, features) = model.ForwardWithFeatures(randn(3, 1, length), randn(3, rhythm));

        Assert.Equal([3L, 5L], logits.shape);
        Assert.Equal(3, features.dim());
        Assert.Equal(3L, features.shape[0]);
        Assert.True(features.shape[2] > 1, "Grad-CAM needs more than one time step");
        Assert.True(isfinite(logits).all().item<bool>());
        var parameters = ModelFactory.ParameterCount(model);
        output.WriteLine($"{architecture} L={length} R={rhythm}: {parameters} parameters, features [{string.Join(",", features.shape)}]");
        // Checkpoints stay small: at most ~2 MB of float32 weights.
        Assert.InRange(parameters, 10_000, 500_000);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Logits_depend_on_the_features_returned_for_grad_cam(string architecture, int length, int rhythm)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var model = ModelFactory.Create(architecture, length, rhythm);
        model.eval();
        var (logits, features) = model.ForwardWithFeatures(randn(2, 1, length), randn(2, rhythm));
        features.retain_grad();
        logits[.., 2].sum().backward();
        Assert.NotNull(features.grad);
        Assert.True(features.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Rhythm_features_change_the_logits()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = ModelFactory.Create("kachuee", 256, 4);
        model.eval();
        var waveform = randn(1, 1, 256);
        var a = model.forward(waveform, zeros(1, 4));
        var b = model.forward(waveform, ones(1, 4));
        Assert.True((a - b).abs().max().item<float>() > 1e-6);
    }

    [Fact]
    public void Unknown_architecture_is_named_in_the_error()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelFactory.Create("vgg", 256, 0));
        Assert.Contains("'vgg'", error.Message);
        Assert.Contains("kachuee", error.Message);
    }

    [Theory]
    [InlineData("kachuee")]
    [InlineData("resnet")]
    public void Wrong_window_length_is_rejected(string architecture)
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create(architecture, 256, 0);
        var error = Assert.Throws<ArgumentException>(() => model.forward(zeros(2, 1, 187), zeros(2, 0)));
        Assert.Contains("187", error.Message);
        Assert.Contains("256", error.Message);
    }

    [Fact]
    public void Empty_batch_is_rejected()
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create("kachuee", 187, 0);
        var error = Assert.Throws<ArgumentException>(() => model.forward(zeros(0, 1, 187), zeros(0, 0)));
        Assert.Contains("empty batch", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_beats_are_rejected_naming_the_beat(float bad)
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create("resnet", 256, 4);
        var waveform = zeros(4, 1, 256);
        waveform[2, 0, 100] = tensor(bad);
        var error = Assert.Throws<ArgumentException>(() => model.forward(waveform, zeros(4, 4)));
        Assert.Contains("beat 2", error.Message);
    }

    [Fact]
    public void Non_finite_rhythm_is_rejected()
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create("kachuee", 256, 4);
        var rhythm = zeros(3, 4);
        rhythm[1, 3] = tensor(float.NaN);
        var error = Assert.Throws<ArgumentException>(() => model.forward(zeros(3, 1, 256), rhythm));
        Assert.Contains("rhythm of beat 1", error.Message);
    }

    [Fact]
    public void Rhythm_count_mismatch_is_rejected()
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create("kachuee", 256, 4);
        var error = Assert.Throws<ArgumentException>(() => model.forward(zeros(3, 1, 256), zeros(3, 0)));
        Assert.Contains("[3, 4]", error.Message);
    }
}
