using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Tests;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string directory = TestData.NewTempDirectory("ckpt");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static CheckpointMetadata MetadataFor(BeatClassifier model, BeatRepresentation representation) => new()
    {
        Architecture = ModelFactory.ArchitectureOf(model),
        Representation = representation.Name,
        WaveformLength = model.WaveformLength,
        RhythmFeatureCount = model.RhythmFeatures,
        RhythmFeatureNames = RhythmFeatures.NamesOf(model.RhythmFeatures),
        Classes = [.. Aami.Classes.Select(c => c.ToString())],
        Protocol = "inter",
        TrainingRecords = DatasetSplits.Ds1,
        Seed = 5,
        EpochsRun = 3,
        SelectedEpoch = 2,
        Created = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        ToolVersion = Checkpoint.ToolVersion,
    };

    private string SaveOne(string architecture = "resnet", int rhythm = 4)
    {
        manual_seed(11);
        using var model = ModelFactory.Create(architecture, 256, rhythm);
        var path = Path.Combine(directory, $"{architecture}.ckpt");
        Checkpoint.Save(path, model, MetadataFor(model, BeatRepresentation.Window));
        return path;
    }

    [Theory]
    [InlineData("kachuee", 187, 0)]
    [InlineData("resnet", 256, 4)]
    public void Save_then_load_round_trips_weights_metadata_and_outputs(string architecture, int length, int rhythm)
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var model = ModelFactory.Create(architecture, length, rhythm);
        model.eval();
        var representation = length == 187 ? BeatRepresentation.Kachuee : BeatRepresentation.Window;
        var path = Path.Combine(directory, "model.ckpt");
        var saved = Checkpoint.Save(path, model, MetadataFor(model, representation));

        var loaded = Checkpoint.Load(path);
        using var copy = loaded.Model;
        // The metadata's collections are compared by content: through their JSON form.
        Assert.Equal(JsonSerializer.Serialize(saved, Checkpoint.JsonOptions), JsonSerializer.Serialize(loaded.Metadata, Checkpoint.JsonOptions));
        Assert.Equal(DatasetSplits.Ds1, loaded.Metadata.TrainingRecords);
        Assert.Equal(64, loaded.Metadata.WeightsSha256.Length);
        var original = model.state_dict();
        var restored = copy.state_dict();
        Assert.Equal(original.Keys, restored.Keys);
        foreach (var (name, value) in original)
            Assert.True(value.equal(restored[name]).all().item<bool>(), $"{name} differs after the round trip");
        var input = randn(4, 1, length);
        var r = randn(4, rhythm);
        Assert.Equal(0f, (model.forward(input, r) - copy.forward(input, r)).abs().max().item<float>());
    }

    [Fact]
    public void Metadata_can_be_read_without_the_weights()
    {
        var path = SaveOne("kachuee", 0);
        var metadata = Checkpoint.ReadMetadata(path);
        Assert.Equal("kachuee", metadata.Architecture);
        Assert.Equal(0, metadata.RhythmFeatureCount);
    }

    [Fact]
    public void Metadata_that_does_not_describe_the_model_is_refused_on_save()
    {
        using var model = ModelFactory.Create("kachuee", 256, 4);
        var error = Assert.Throws<ArgumentException>(() =>
            Checkpoint.Save(Path.Combine(directory, "x.ckpt"), model, MetadataFor(model, BeatRepresentation.Window) with { Architecture = "resnet" }));
        Assert.Contains("does not describe", error.Message);
    }

    [Fact]
    public void A_decision_bias_travels_with_the_checkpoint_to_the_loaded_model()
    {
        using var model = ModelFactory.Create("kachuee", 256, 4);
        float[] bias = [0, 0, 1.25f, 0, -0.5f];
        model.DecisionBias = bias;
        var path = Path.Combine(directory, "biased.ckpt");

        var saved = Checkpoint.Save(path, model, MetadataFor(model, BeatRepresentation.Window) with { DecisionBias = bias });

        var loaded = Checkpoint.Load(path);
        using var copy = loaded.Model;
        Assert.Equal(bias, loaded.Metadata.DecisionBias);
        Assert.Equal(bias, copy.DecisionBias);
        // The bias is metadata, not a weight: the weights hash as they do without it.
        model.DecisionBias = new float[5];
        var plain = Checkpoint.Save(Path.Combine(directory, "plain.ckpt"), model, MetadataFor(model, BeatRepresentation.Window));
        Assert.Equal(plain.WeightsSha256, saved.WeightsSha256);
        Assert.Empty(plain.DecisionBias);
    }

    [Fact]
    public void A_checkpoint_written_before_decision_biases_existed_loads_with_a_zero_bias()
    {
        var path = SaveOne();
        var (json, weights) = Split(File.ReadAllBytes(path));
        var text = Encoding.UTF8.GetString(json);
        Assert.Contains("\"decisionBias\": [],", text);
        File.WriteAllBytes(path, Assemble(Encoding.UTF8.GetBytes(text.Replace("\"decisionBias\": [],", "")), weights));

        var loaded = Checkpoint.Load(path);
        using var model = loaded.Model;
        Assert.Empty(loaded.Metadata.DecisionBias);
        Assert.Equal(new float[5], model.DecisionBias);
    }

    [Fact]
    public void A_decision_bias_of_the_wrong_length_is_reported()
    {
        var path = SaveOne();
        var (json, weights) = Split(File.ReadAllBytes(path));
        var text = Encoding.UTF8.GetString(json).Replace("\"decisionBias\": [],", "\"decisionBias\": [0, 0, 1.5],");
        File.WriteAllBytes(path, Assemble(Encoding.UTF8.GetBytes(text), weights));
        LoadFails(path, "decision bias has 3 values for 5 classes");
    }

    [Fact]
    public void Metadata_whose_decision_bias_is_not_the_model_s_is_refused_on_save()
    {
        using var model = ModelFactory.Create("kachuee", 256, 4);
        var metadata = MetadataFor(model, BeatRepresentation.Window) with { DecisionBias = [0, 0, 1, 0, 0] };
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(Path.Combine(directory, "x.ckpt"), model, metadata));
        Assert.Contains("decision bias", error.Message);
    }

    private string SaveEnsemble(int members)
    {
        manual_seed(13);
        using var model = ModelFactory.Create("kachuee", 256, 4, members);
        var path = Path.Combine(directory, $"ensemble{members}.ckpt");
        Checkpoint.Save(path, model, MetadataFor(model, BeatRepresentation.Window) with
        {
            Ensemble = [.. Enumerable.Range(1, members).Select(i => new EnsembleMember { Source = $"s{i}.ckpt", Seed = i })],
        });
        return path;
    }

    [Fact]
    public void An_ensemble_checkpoint_round_trips_its_members_and_outputs()
    {
        using var scope = NewDisposeScope();
        var path = SaveEnsemble(3);
        manual_seed(13);
        using var original = ModelFactory.Create("kachuee", 256, 4, 3);
        original.eval();

        var loaded = Checkpoint.Load(path);
        using var model = loaded.Model;

        var ensemble = Assert.IsType<BeatEnsemble>(model);
        Assert.Equal(3, ensemble.MemberCount);
        Assert.Equal("kachuee", ModelFactory.ArchitectureOf(model));
        Assert.Equal([1, 2, 3], loaded.Metadata.Ensemble.Select(m => m.Seed));
        var input = randn(2, 1, 256);
        var rhythm = randn(2, 4);
        Assert.Equal(0f, (original.forward(input, rhythm) - model.forward(input, rhythm)).abs().max().item<float>());
    }

    [Fact]
    public void An_ensemble_checkpoint_whose_member_list_does_not_fit_its_weights_is_reported()
    {
        var path = SaveEnsemble(3);
        var (json, weights) = Split(File.ReadAllBytes(path));
        var metadata = JsonSerializer.Deserialize<CheckpointMetadata>(json, Checkpoint.JsonOptions)!;
        File.WriteAllBytes(path, Assemble(JsonSerializer.SerializeToUtf8Bytes(metadata with { Ensemble = metadata.Ensemble.Take(2).ToList() }, Checkpoint.JsonOptions), weights));
        LoadFails(path, "the weights do not fit an ensemble of 2 kachuee models");
        File.WriteAllBytes(path, Assemble(JsonSerializer.SerializeToUtf8Bytes(metadata with { Ensemble = metadata.Ensemble.Take(1).ToList() }, Checkpoint.JsonOptions), weights));
        LoadFails(path, "an ensemble of 1 members");
    }

    [Fact]
    public void Metadata_that_counts_other_members_than_the_model_holds_is_refused_on_save()
    {
        using var model = ModelFactory.Create("kachuee", 256, 4, 2);
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(Path.Combine(directory, "x.ckpt"), model, MetadataFor(model, BeatRepresentation.Window)));
        Assert.Contains("kachuee x1", error.Message);
        Assert.Contains("kachuee x2", error.Message);
    }

    private CheckpointException LoadFails(string path, string expected)
    {
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        return error;
    }

    [Fact]
    public void Bad_magic_is_reported()
    {
        var path = SaveOne();
        var bytes = File.ReadAllBytes(path);
        bytes[0] = (byte)'X';
        File.WriteAllBytes(path, bytes);
        LoadFails(path, "bad magic");
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        LoadFails(Path.Combine(directory, "absent.ckpt"), "cannot be read");
    }

    [Fact]
    public void Unsupported_version_is_reported()
    {
        var path = SaveOne();
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), 99);
        File.WriteAllBytes(path, bytes);
        LoadFails(path, "format version 99");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(200)]
    [InlineData(-10)]
    [InlineData(-1)]
    public void Truncated_files_are_reported(int cut)
    {
        var path = SaveOne();
        var bytes = File.ReadAllBytes(path);
        var length = cut > 0 ? cut : bytes.Length + cut;
        File.WriteAllBytes(path, bytes[..length]);
        LoadFails(path, "truncated");
    }

    [Fact]
    public void Trailing_bytes_are_reported()
    {
        var path = SaveOne();
        File.AppendAllText(path, "extra");
        LoadFails(path, "unexpected bytes after the weights");
    }

    [Fact]
    public void Garbage_metadata_is_reported()
    {
        var path = SaveOne();
        var (json, weights) = Split(File.ReadAllBytes(path));
        var garbage = Encoding.UTF8.GetBytes("{\"architecture\": \"resnet\", oops" + new string(' ', Math.Max(0, json.Length - 32)));
        File.WriteAllBytes(path, Assemble(garbage, weights));
        LoadFails(path, "not valid JSON");
    }

    [Fact]
    public void Metadata_missing_required_fields_is_reported()
    {
        var path = SaveOne();
        var (_, weights) = Split(File.ReadAllBytes(path));
        File.WriteAllBytes(path, Assemble("{\"architecture\":\"resnet\"}"u8.ToArray(), weights));
        LoadFails(path, "not valid JSON");
    }

    [Fact]
    public void Flipped_weight_byte_is_reported_as_a_hash_mismatch()
    {
        var path = SaveOne();
        var bytes = File.ReadAllBytes(path);
        bytes[^100] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        LoadFails(path, "SHA-256 mismatch");
    }

    [Fact]
    public void Weights_of_another_architecture_are_reported()
    {
        var kachuee = SaveOne("kachuee", 4);
        var resnet = SaveOne("resnet", 4);
        var (_, kachueeWeights) = Split(File.ReadAllBytes(kachuee));
        var (resnetJson, _) = Split(File.ReadAllBytes(resnet));
        // A consistent file (hash of the weights it holds) whose weights are a kachuee model's, declared as a resnet.
        var text = Encoding.UTF8.GetString(resnetJson);
        var oldHash = Checkpoint.ReadMetadata(resnet).WeightsSha256;
        var newHash = Checkpoint.ReadMetadata(kachuee).WeightsSha256;
        File.WriteAllBytes(resnet, Assemble(Encoding.UTF8.GetBytes(text.Replace(oldHash, newHash)), kachueeWeights));
        LoadFails(resnet, "do not fit a resnet model");
    }

    [Fact]
    public void Weights_of_another_input_length_are_reported()
    {
        var path = SaveOne("kachuee", 4);
        var (json, weights) = Split(File.ReadAllBytes(path));
        var text = Encoding.UTF8.GetString(json).Replace("\"representation\": \"window\"", "\"representation\": \"kachuee\"").Replace("\"waveformLength\": 256", "\"waveformLength\": 187");
        File.WriteAllBytes(path, Assemble(Encoding.UTF8.GetBytes(text), weights));
        LoadFails(path, "do not fit a kachuee model of 187 samples");
    }

    [Theory]
    [InlineData("\"architecture\": \"resnet\"", "\"architecture\": \"vgg\"", "unknown architecture 'vgg'")]
    [InlineData("\"waveformLength\": 256", "\"waveformLength\": 300", "the metadata says 300")]
    [InlineData("\"rhythmFeatureCount\": 4", "\"rhythmFeatureCount\": 3", "none of 0, 4 and 6")]
    [InlineData("\"N\",", "\"S\",", "class order")]
    [InlineData("\"featureStandardisation\": null", "\"featureStandardisation\": {\"mean\": [1], \"scale\": [1]}", "1 means and 1 scales for 4 features")]
    public void Inconsistent_metadata_is_reported(string from, string to, string expected)
    {
        var path = SaveOne();
        var (json, weights) = Split(File.ReadAllBytes(path));
        var text = Encoding.UTF8.GetString(json);
        Assert.Contains(from, text);
        File.WriteAllBytes(path, Assemble(Encoding.UTF8.GetBytes(text.Replace(from, to)), weights));
        LoadFails(path, expected);
    }

    private static (byte[] Json, byte[] Weights) Split(byte[] file)
    {
        var jsonLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(10));
        var json = file[14..(14 + jsonLength)];
        var weights = file[(14 + jsonLength + 8)..];
        return (json, weights);
    }

    private static byte[] Assemble(byte[] json, byte[] weights)
    {
        using var stream = new MemoryStream();
        stream.Write("ECGOCKPT"u8);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(number, Checkpoint.FormatVersion);
        stream.Write(number[..2]);
        BinaryPrimitives.WriteInt32LittleEndian(number, json.Length);
        stream.Write(number[..4]);
        stream.Write(json);
        BinaryPrimitives.WriteInt64LittleEndian(number, weights.Length);
        stream.Write(number);
        stream.Write(weights);
        return stream.ToArray();
    }
}
