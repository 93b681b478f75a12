using System.Collections.Concurrent;
using System.Text;
using EcgOrleans.Ml.Models;

namespace EcgOrleans.Ml.Checkpoints;

/// <summary>One tensor of a TorchSharp state dict: its name, element type (TorchSharp's ScalarType code) and shape.</summary>
public sealed record TensorLayout(string Name, int ElementType, long[] Shape)
{
    public string Describe() => $"{Name} [{string.Join(", ", Shape)}] of element type {ElementType}";
}

/// <summary>
/// The weights section of a checkpoint (TorchSharp's Module.save format: an entry count, then per tensor its name, element
/// type, rank, dimensions and data) read as a layout, without allocating any tensor, and compared with the layout the
/// declared architecture has. A checkpoint is loaded into a model only when the two agree tensor for tensor, so no field
/// of a file can make the loader allocate more than the model itself holds.
/// </summary>
public static class WeightLayout
{
    private const int MaxTensors = 4096;
    private const int MaxNameBytes = 1024;
    private const int MaxRank = 8;

    private static readonly ConcurrentDictionary<(string, int, int), IReadOnlyList<TensorLayout>> Layouts = new();

    /// <summary>The tensors <paramref name="weights"/> declares; <see cref="InvalidDataException"/> naming the first thing out of bounds.</summary>
    public static IReadOnlyList<TensorLayout> Read(ReadOnlySpan<byte> weights)
    {
        var at = 0;
        var count = ReadNumber(weights, ref at, "the tensor count");
        if (count is < 0 or > MaxTensors) throw new InvalidDataException($"a tensor count of {count} is out of range (0 to {MaxTensors})");
        var tensors = new List<TensorLayout>((int)count);
        for (var i = 0; i < count; i++)
        {
            var name = ReadName(weights, ref at, i);
            var type = ReadNumber(weights, ref at, $"the element type of {name}");
            var size = ElementSize(type) ?? throw new InvalidDataException($"tensor {name} has unknown element type {type}");
            var rank = ReadNumber(weights, ref at, $"the rank of {name}");
            if (rank is < 0 or > MaxRank) throw new InvalidDataException($"tensor {name} has rank {rank}; at most {MaxRank} is accepted");
            var shape = new long[rank];
            long bytes = size;
            for (var d = 0; d < rank; d++)
            {
                shape[d] = ReadNumber(weights, ref at, $"dimension {d} of {name}");
                if (shape[d] < 0) throw new InvalidDataException($"tensor {name} has negative dimension {shape[d]}");
                // Bounded by what is left of the file at every step, so the product never overflows.
                bytes = shape[d] == 0 ? 0 : bytes <= (weights.Length - at) / shape[d] ? bytes * shape[d] : long.MaxValue;
            }
            if (bytes > weights.Length - at)
                throw new InvalidDataException($"tensor {name} [{string.Join(", ", shape)}] needs more bytes than the {weights.Length - at} left");
            at += (int)bytes;
            tensors.Add(new TensorLayout(name, (int)type, shape));
        }
        if (at != weights.Length) throw new InvalidDataException($"{weights.Length - at} bytes left over after {count} tensors");
        return tensors;
    }

    /// <summary>
    /// The layout of <see cref="ModelFactory.Create"/>'s model: one member is built once per architecture, waveform length
    /// and feature count (the metadata admits only a few of each), and an ensemble's members are that layout under
    /// "members.i.".
    /// </summary>
    public static IReadOnlyList<TensorLayout> Expected(string architecture, int length, int rhythm, int members = 1)
    {
        var member = Layouts.GetOrAdd((architecture, length, rhythm), key =>
        {
            using var model = ModelFactory.Create(key.Item1, key.Item2, key.Item3);
            return [.. model.state_dict().Select(p => new TensorLayout(p.Key, (int)p.Value.dtype, p.Value.shape))];
        });
        if (members == 1) return member;
        return [.. Enumerable.Range(0, members).SelectMany(i => member.Select(t => t with { Name = $"members.{i}.{t.Name}" }))];
    }

    /// <summary>Where <paramref name="actual"/> departs from <paramref name="expected"/> (tensors may come in any order), or null.</summary>
    public static string? Mismatch(IReadOnlyList<TensorLayout> expected, IReadOnlyList<TensorLayout> actual)
    {
        var wanted = new Dictionary<string, TensorLayout>(StringComparer.Ordinal);
        foreach (var tensor in expected) wanted[tensor.Name] = tensor;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in actual)
        {
            if (!seen.Add(tensor.Name)) return $"tensor {Cut(tensor.Name)} appears twice";
            if (!wanted.TryGetValue(tensor.Name, out var want)) return $"the model has no tensor {Cut(tensor.Name)}";
            if (want.ElementType != tensor.ElementType || !want.Shape.SequenceEqual(tensor.Shape))
                return $"tensor {Cut(tensor.Describe())} should be {want.Describe()}";
        }
        var missing = expected.FirstOrDefault(t => !seen.Contains(t.Name));
        return missing is null ? null : $"tensor {missing.Describe()} is missing ({actual.Count} of {expected.Count} tensors given)";
    }

    private static string Cut(string text) => text.Length <= 120 ? text : text[..120] + "...";

    /// <summary>TorchSharp's LEB128 number (Module.save's counts, types and dimensions), at most 9 bytes and never negative.</summary>
    private static long ReadNumber(ReadOnlySpan<byte> data, ref int at, string what)
    {
        long value = 0;
        for (var shift = 0; shift < 63; shift += 7)
        {
            if (at >= data.Length) throw new InvalidDataException($"truncated at {what}");
            var b = data[at++];
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException($"{what} is not a number of at most 63 bits");
    }

    /// <summary>A BinaryWriter string: a 7-bit encoded byte count, then UTF-8.</summary>
    private static string ReadName(ReadOnlySpan<byte> data, ref int at, int index)
    {
        var length = ReadNumber(data, ref at, $"the name length of tensor {index + 1}");
        if (length is <= 0 or > MaxNameBytes) throw new InvalidDataException($"tensor {index + 1} has a name of {length} bytes (1 to {MaxNameBytes})");
        if (length > data.Length - at) throw new InvalidDataException($"truncated in the name of tensor {index + 1}");
        try
        {
            var name = new UTF8Encoding(false, true).GetString(data.Slice(at, (int)length));
            at += (int)length;
            return name;
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"the name of tensor {index + 1} is not UTF-8");
        }
    }

    /// <summary>Bytes per element of TorchSharp's ScalarType codes; null for a code it does not save.</summary>
    private static int? ElementSize(long type) => type switch
    {
        0 or 1 or 11 => 1,       // Byte, Int8, Bool
        2 or 5 or 15 => 2,       // Int16, Float16, BFloat16
        3 or 6 => 4,             // Int32, Float32
        4 or 7 or 9 => 8,        // Int64, Float64, ComplexFloat32
        10 => 16,                // ComplexFloat64
        _ => null,
    };
}
