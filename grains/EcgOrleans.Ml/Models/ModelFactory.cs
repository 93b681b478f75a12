namespace EcgOrleans.Ml.Models;

/// <summary>Builds a beat classifier from its architecture name: what checkpoints and the CLI store and accept.</summary>
public static class ModelFactory
{
    public static IReadOnlyList<string> Architectures { get; } = [KachueeCnn.ArchitectureName, ResNet1d.ArchitectureName];

    /// <summary>A freshly initialised model (weights from torch's current random state).</summary>
    public static BeatClassifier Create(string architecture, int length, int rhythm)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return architecture.Trim().ToLowerInvariant() switch
        {
            KachueeCnn.ArchitectureName => new KachueeCnn(length, rhythm),
            ResNet1d.ArchitectureName => new ResNet1d(length, rhythm),
            _ => throw new ArgumentException(
                $"unknown model architecture '{architecture}': use {string.Join(" or ", Architectures)}", nameof(architecture)),
        };
    }

    /// <summary>The architecture name of a model built by <see cref="Create"/>.</summary>
    public static string ArchitectureOf(BeatClassifier model) => model switch
    {
        KachueeCnn => KachueeCnn.ArchitectureName,
        ResNet1d => ResNet1d.ArchitectureName,
        _ => throw new ArgumentException($"{model.GetType().Name} is not an architecture ModelFactory knows", nameof(model)),
    };

    public static long ParameterCount(BeatClassifier model) => model.parameters().Sum(p => p.numel());
}
