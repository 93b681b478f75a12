using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Faithfulness;

/// <summary>One layer as the model-randomisation check re-initialises it: its name and its parameters (full names).</summary>
public sealed record LayerParameters(string Name, IReadOnlyList<(string Name, Parameter Parameter)> Parameters);

/// <summary>
/// The layers of a model from the output back to the input, and their re-initialisation, for the cascading
/// model-randomisation check of Adebayo et al. (2018, "Sanity checks for saliency maps").
/// </summary>
public static class CascadingRandomisation
{
    /// <summary>
    /// The model's layers, last first: parameters grouped by their top-level module, a module list's items apart
    /// ("output", "fc2", "fc1", "blocks.4", ..., "blocks.0", "stem"). A residual block counts as one layer, as a
    /// block of Inception v3 does in the paper. Registration order is forward order in the shipped models.
    /// </summary>
    public static IReadOnlyList<LayerParameters> TopDown(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var groups = new List<(string Name, List<(string, Parameter)> Parameters)>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var layer = LayerOf(name);
            if (groups.Count == 0 || groups[^1].Name != layer) groups.Add((layer, []));
            groups[^1].Parameters.Add((name, parameter));
        }
        if (groups.Select(g => g.Name).Distinct().Count() != groups.Count)
            throw new InvalidOperationException("a layer's parameters are not registered together: cannot order the layers");
        return [.. groups.AsEnumerable().Reverse().Select(g => new LayerParameters(g.Name, g.Parameters))];
    }

    /// <summary>"blocks.3.conv1.weight" → "blocks.3"; "fc1.weight" → "fc1".</summary>
    public static string LayerOf(string parameterName)
    {
        var parts = parameterName.Split('.');
        return parts.Length > 2 && int.TryParse(parts[1], out _) ? $"{parts[0]}.{parts[1]}" : parts[0];
    }

    /// <summary>
    /// Redraws every parameter of <paramref name="layer"/> in place, as PyTorch initialises a fresh layer: a weight of
    /// two or more dimensions, and the bias beside it, uniform in ±1/√fan-in (kaiming_uniform with a = √5). Parameters
    /// with no such weight beside them (batch-norm scale and shift) are drawn from N(0, 1), so that they too stop
    /// carrying what training taught; batch-norm running statistics are buffers and stay.
    /// </summary>
    public static void Reinitialise(LayerParameters layer, int seed)
    {
        ArgumentNullException.ThrowIfNull(layer);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        var fanIn = layer.Parameters.Where(p => p.Parameter.dim() >= 2)
            .ToDictionary(p => Owner(p.Name), p => p.Parameter.numel() / p.Parameter.shape[0]);
        foreach (var (name, parameter) in layer.Parameters)
        {
            if (parameter.dim() >= 2 || fanIn.ContainsKey(Owner(name)))
            {
                var bound = 1 / Math.Sqrt(fanIn[Owner(name)]);
                parameter.uniform_(-bound, bound, generator);
            }
            else
            {
                parameter.normal_(0, 1, generator);
            }
        }
    }

    /// <summary>The module a parameter belongs to: its name without the last part.</summary>
    private static string Owner(string parameterName) =>
        parameterName.LastIndexOf('.') is var dot and > 0 ? parameterName[..dot] : "";
}
