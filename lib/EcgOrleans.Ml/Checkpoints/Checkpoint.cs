using System.Buffers.Binary;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Checkpoints;

/// <summary>A model with the metadata it was saved with.</summary>
public sealed record LoadedCheckpoint(BeatClassifier Model, CheckpointMetadata Metadata);

/// <summary>
/// The checkpoint file: a small binary container.
/// <code>
/// "ECGOCKPT"              8 bytes magic
/// version                 uint16, little endian (1)
/// metadata length         int32, little endian, then that many bytes of UTF-8 JSON (<see cref="CheckpointMetadata"/>)
/// weights length          int64, little endian, then the TorchSharp module state (Module.save)
/// </code>
/// Nothing may follow the weights. The metadata carries the SHA-256 of the weight bytes, checked on load.
/// </summary>
public static class Checkpoint
{
    public const ushort FormatVersion = 1;
    private static readonly byte[] Magic = "ECGOCKPT"u8.ToArray();
    private const int MaxMetadataBytes = 16 << 20;
    private const long MaxWeightBytes = 1L << 30;

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The version of this tool, as recorded in new checkpoints.</summary>
    public static string ToolVersion { get; } =
        typeof(Checkpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Writes <paramref name="model"/> and <paramref name="metadata"/> (its hash and shape fields filled in) to <paramref name="path"/>.</summary>
    public static CheckpointMetadata Save(string path, BeatClassifier model, CheckpointMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        var architecture = ModelFactory.ArchitectureOf(model);
        if (!string.Equals(architecture, metadata.Architecture, StringComparison.Ordinal)
            || metadata.WaveformLength != model.WaveformLength || metadata.RhythmFeatureCount != model.RhythmFeatures
            || metadata.MemberCount != ModelFactory.MemberCountOf(model))
            throw new ArgumentException(
                $"metadata ({metadata.Architecture} x{metadata.MemberCount}, {metadata.WaveformLength} samples, {metadata.RhythmFeatureCount} rhythm features) does not describe the model " +
                $"({architecture} x{ModelFactory.MemberCountOf(model)}, {model.WaveformLength}, {model.RhythmFeatures})", nameof(metadata));
        if (!BiasOf(metadata).SequenceEqual(model.DecisionBias))
            throw new ArgumentException(
                $"metadata decision bias [{string.Join(", ", BiasOf(metadata))}] is not the model's [{string.Join(", ", model.DecisionBias)}]", nameof(metadata));
        if (!FeatureStandardisation.Same(metadata.FeatureStandardisation, model.Standardisation))
            throw new ArgumentException("metadata feature standardisation is not the model's", nameof(metadata));
        var weights = WeightBytes(model);
        var complete = metadata with { WeightsSha256 = Sha256(weights) };
        var json = JsonSerializer.SerializeToUtf8Bytes(complete, JsonOptions);

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        // Write beside the target and move: a crash mid-write never leaves a half checkpoint under the real name.
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            Span<byte> number = stackalloc byte[8];
            file.Write(Magic);
            BinaryPrimitives.WriteUInt16LittleEndian(number, FormatVersion);
            file.Write(number[..2]);
            BinaryPrimitives.WriteInt32LittleEndian(number, json.Length);
            file.Write(number[..4]);
            file.Write(json);
            BinaryPrimitives.WriteInt64LittleEndian(number, weights.Length);
            file.Write(number);
            file.Write(weights);
        }
        File.Move(temporary, path, overwrite: true);
        return complete;
    }

    /// <summary>Reads only the metadata (the hash is not checked: use <see cref="Load(string)"/> for that).</summary>
    public static CheckpointMetadata ReadMetadata(string path) => Parse(path, ReadFile(path), verifyWeights: false).Metadata;

    /// <summary>Reads, verifies and rebuilds the model (in eval mode). Throws <see cref="CheckpointException"/> for any unusable file.</summary>
    public static LoadedCheckpoint Load(string path) => Load(ReadFile(path), path);

    /// <summary>
    /// The same for a checkpoint held in memory (an upload, a model registry's copy); <paramref name="source"/>
    /// names it in errors.
    /// </summary>
    public static LoadedCheckpoint Load(byte[] checkpoint, string source)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var path = source;
        var (metadata, weights) = Parse(path, checkpoint, verifyWeights: true);
        // Every tensor's name, type and shape is checked against the architecture before a tensor is made.
        CheckLayout(path, metadata, weights);
        BeatClassifier? model = null;
        try
        {
            model = ModelFactory.Create(metadata.Architecture, metadata.WaveformLength, metadata.RhythmFeatureCount, metadata.MemberCount);
            using var stream = new MemoryStream(weights, writable: false);
            // Through a reader left open: Module.load(Stream) closes the stream, and the leftover check needs it.
            using (var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true)) model.load(reader, strict: true);
            if (stream.Position != stream.Length)
                throw new InvalidDataException($"{stream.Length - stream.Position} bytes of weights left over");
            model.eval();
            model.DecisionBias = BiasOf(metadata);
            model.Standardisation = metadata.FeatureStandardisation;
            return new LoadedCheckpoint(model, metadata);
        }
        catch (Exception e)
        {
            // Whatever failed, the half-built model's native tensors are freed now, not at some later collection.
            model?.Dispose();
            if (e is OutOfMemoryException) throw;
            throw new CheckpointException(path,
                $"the weights do not fit {Describe(metadata)} of {metadata.WaveformLength} samples with {metadata.RhythmFeatureCount} rhythm features: {e.Message}", e);
        }
    }

    private static void CheckLayout(string path, CheckpointMetadata metadata, byte[] weights)
    {
        IReadOnlyList<TensorLayout> actual;
        try
        {
            actual = WeightLayout.Read(weights);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException(path, $"the weights are not a TorchSharp state dict: {e.Message}", e);
        }
        IReadOnlyList<TensorLayout> expected;
        try
        {
            expected = WeightLayout.Expected(metadata.Architecture, metadata.WaveformLength, metadata.RhythmFeatureCount, metadata.MemberCount);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(path, $"the metadata declares a model that cannot be built: {e.Message}", e);
        }
        if (WeightLayout.Mismatch(expected, actual) is { } mismatch)
            throw new CheckpointException(path,
                $"the weights do not fit {Describe(metadata)} of {metadata.WaveformLength} samples with {metadata.RhythmFeatureCount} rhythm features: {mismatch}");
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, $"cannot be read: {e.Message}", e);
        }
    }

    private static (CheckpointMetadata Metadata, byte[] Weights) Parse(string path, byte[] bytes, bool verifyWeights)
    {
        var data = bytes.AsSpan();
        if (data.Length < Magic.Length && Magic.AsSpan().StartsWith(data))
            throw new CheckpointException(path, $"truncated: {data.Length} bytes, not even the {Magic.Length}-byte magic");
        if (data.Length < Magic.Length || !data[..Magic.Length].SequenceEqual(Magic))
            throw new CheckpointException(path, "not a checkpoint (bad magic bytes; expected \"ECGOCKPT\")");
        var at = Magic.Length;
        var version = BinaryPrimitives.ReadUInt16LittleEndian(Take(path, data, ref at, 2, "format version"));
        if (version != FormatVersion)
            throw new CheckpointException(path, $"format version {version} is not supported (this tool reads version {FormatVersion})");
        var jsonLength = BinaryPrimitives.ReadInt32LittleEndian(Take(path, data, ref at, 4, "metadata length"));
        if (jsonLength is <= 0 or > MaxMetadataBytes)
            throw new CheckpointException(path, $"metadata length {jsonLength} is out of range");
        var json = Take(path, data, ref at, jsonLength, "metadata");
        var metadata = ParseMetadata(path, json);
        var weightLength = BinaryPrimitives.ReadInt64LittleEndian(Take(path, data, ref at, 8, "weights length"));
        if (weightLength is <= 0 or > MaxWeightBytes)
            throw new CheckpointException(path, $"weights length {weightLength} is out of range");
        var weights = Take(path, data, ref at, (int)weightLength, "weights").ToArray();
        if (at != data.Length)
            throw new CheckpointException(path, $"{data.Length - at} unexpected bytes after the weights");
        if (verifyWeights)
        {
            var actual = Sha256(weights);
            if (!string.Equals(actual, metadata.WeightsSha256, StringComparison.OrdinalIgnoreCase))
                throw new CheckpointException(path, $"weights SHA-256 mismatch: metadata says {metadata.WeightsSha256}, the weights hash to {actual} (file corrupted?)");
        }
        return (metadata, weights);
    }

    private static ReadOnlySpan<byte> Take(string path, ReadOnlySpan<byte> data, ref int at, int count, string what)
    {
        if (count > data.Length - at)
            throw new CheckpointException(path, $"truncated: {what} needs {count} bytes at offset {at}, only {data.Length - at} left");
        var slice = data.Slice(at, count);
        at += count;
        return slice;
    }

    private static CheckpointMetadata ParseMetadata(string path, ReadOnlySpan<byte> json)
    {
        CheckpointMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<CheckpointMetadata>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"metadata is not valid JSON: {e.Message}", e);
        }
        catch (DecoderFallbackException e)
        {
            throw new CheckpointException(path, $"metadata is not valid UTF-8: {e.Message}", e);
        }
        if (metadata is null) throw new CheckpointException(path, "metadata is JSON null");
        var problem = Check(metadata);
        if (problem is not null) throw new CheckpointException(path, problem);
        return metadata;
    }

    /// <summary>Consistency of the metadata on its own: what a loader relies on.</summary>
    private static string? Check(CheckpointMetadata m)
    {
        if (!ModelFactory.Architectures.Contains(m.Architecture)) return $"unknown architecture '{m.Architecture}' (known: {string.Join(", ", ModelFactory.Architectures)})";
        BeatRepresentation representation;
        try
        {
            representation = BeatRepresentation.Parse(m.Representation ?? "");
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
        if (representation.Length != m.WaveformLength)
            return $"representation {representation.Name} has {representation.Length} samples, the metadata says {m.WaveformLength}";
        if (!RhythmFeatures.IsValidCount(m.RhythmFeatureCount))
            return $"rhythm feature count {m.RhythmFeatureCount} is none of 0, {RhythmFeatures.RrCount} and {RhythmFeatures.Count}";
        if (m.RhythmFeatureNames is null || m.RhythmFeatureNames.Count != m.RhythmFeatureCount)
            return $"{m.RhythmFeatureNames?.Count ?? 0} rhythm feature names for {m.RhythmFeatureCount} features";
        var classes = Aami.Classes.Select(c => c.ToString()).ToList();
        if (m.Classes is null || !m.Classes.SequenceEqual(classes))
            return $"class order [{string.Join(", ", m.Classes ?? [])}] differs from [{string.Join(", ", classes)}]";
        if (m.DecisionBias is { Count: > 0 } bias && bias.Count != m.Classes.Count)
            return $"decision bias has {bias.Count} values for {m.Classes.Count} classes";
        if (m.DecisionBias is { } offsets && offsets.Any(v => !float.IsFinite(v))) return "decision bias holds a value that is not finite";
        if (m.WeightsSha256 is not { Length: 64 }) return "no SHA-256 of the weights";
        if (m.FeatureStandardisation?.Problem(m.RhythmFeatureCount) is { } standardisation) return standardisation;
        if (m.Ensemble is null) return "ensemble is null (leave it out or give [] for one model)";
        if (m.Ensemble.Count is 1 or > BeatEnsemble.MaxMembers)
            return $"an ensemble of {m.Ensemble.Count} members (an ensemble holds 2 to {BeatEnsemble.MaxMembers}; one model lists none)";
        return null;
    }

    /// <summary>"a kachuee model" or "an ensemble of 3 kachuee models", for messages.</summary>
    public static string Describe(CheckpointMetadata m) =>
        m.MemberCount == 1 ? $"a {m.Architecture} model" : $"an ensemble of {m.MemberCount} {m.Architecture} models";

    /// <summary>The metadata's decision bias with "none" (empty or absent) as zeros.</summary>
    private static float[] BiasOf(CheckpointMetadata m) => m.DecisionBias is { Count: > 0 } bias ? [.. bias] : new float[BeatClassifier.ClassCount];

    private static byte[] WeightBytes(BeatClassifier model)
    {
        using var stream = new MemoryStream();
        model.save(stream);
        return stream.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
