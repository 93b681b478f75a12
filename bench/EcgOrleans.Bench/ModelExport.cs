using System.Runtime.InteropServices;
using System.Text.Json;
using EcgOrleans.Ml.Models;
using static TorchSharp.torch;

namespace EcgOrleans.Bench;

/// <summary>
/// Writes a model's weights and a reference batch for the PyTorch anchor: one little-endian float32 file per
/// export and a JSON index (name, shape, offset in floats) so that any framework can load them.
/// </summary>
internal static class ModelExport
{
    public sealed record Entry(string Name, long[] Shape, long Offset, long Count);

    public sealed record Index(string Architecture, int Length, int Rhythm, int Batch, string Data, Entry[] Tensors);

    /// <summary>
    /// Exports parameters, buffers, the batch's inputs, and TorchSharp's logits and raw vanilla gradients for it,
    /// under <paramref name="directory"/>/<paramref name="name"/>.json and .bin. Returns the index path.
    /// </summary>
    public static string Write(string directory, string name, BeatClassifier model, Tensor waveform, Tensor rhythm, Tensor logits, Tensor gradients)
    {
        Directory.CreateDirectory(directory);
        var named = model.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(model.named_buffers().Select(b => (b.name, b.buffer)))
            .Append(("input.waveform", waveform)).Append(("input.rhythm", rhythm))
            .Append(("reference.logits", logits)).Append(("reference.vanilla_gradient", gradients))
            .ToList();

        var data = Path.Combine(directory, name + ".bin");
        var entries = new List<Entry>();
        using (var stream = File.Create(data))
        {
            long offset = 0;
            foreach (var (tensorName, value) in named)
            {
                var values = value.detach().to(float32).contiguous().data<float>().ToArray();
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the export format is little-endian float32");
                stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
                entries.Add(new Entry(tensorName, value.shape, offset, values.Length));
                offset += values.Length;
            }
        }
        var index = new Index(ModelFactory.ArchitectureOf(model), model.WaveformLength, model.RhythmFeatures, (int)waveform.shape[0],
            Path.GetFileName(data), [.. entries]);
        var indexPath = Path.Combine(directory, name + ".json");
        File.WriteAllText(indexPath, JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        return indexPath;
    }
}
