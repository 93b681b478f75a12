namespace EcgOrleans.Ml.Models;

/// <summary>Builds a beat classifier from its architecture name: what checkpoints and the CLI store and accept.</summary>
public static class ModelFactory
{
    public static IReadOnlyList<string> Architectures { get; } = [KachueeCnn.ArchitectureName, ResNet1d.ArchitectureName];

    /// <summary>
    /// A freshly initialised model (weights from torch's current random state); with <paramref name="members"/> above 1,
    /// a <see cref="BeatEnsemble"/> of that many such models (what an ensemble checkpoint's weights are loaded into).
    /// </summary>
    public static BeatClassifier Create(string architecture, int length, int rhythm, int members = 1)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (members > 1) return new BeatEnsemble([.. Enumerable.Range(0, members).Select(_ => Create(architecture, length, rhythm))]);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        return architecture.Trim().ToLowerInvariant() switch
        {
            KachueeCnn.ArchitectureName => new KachueeCnn(length, rhythm),
            ResNet1d.ArchitectureName => new ResNet1d(length, rhythm),
            _ => throw new ArgumentException(
                $"unknown model architecture '{architecture}': use {string.Join(" or ", Architectures)}", nameof(architecture)),
        };
    }

    /// <summary>The architecture name of a model built by <see cref="Create"/> (an ensemble's is its members').</summary>
    public static string ArchitectureOf(BeatClassifier model) => model switch
    {
        KachueeCnn => KachueeCnn.ArchitectureName,
        ResNet1d => ResNet1d.ArchitectureName,
        BeatEnsemble ensemble => ensemble.MemberArchitecture,
        _ => throw new ArgumentException($"{model.GetType().Name} is not an architecture ModelFactory knows", nameof(model)),
    };

    /// <summary>How many models <paramref name="model"/> is: 1, or an ensemble's member count.</summary>
    public static int MemberCountOf(BeatClassifier model) => model is BeatEnsemble ensemble ? ensemble.MemberCount : 1;

    public static long ParameterCount(BeatClassifier model) => model.parameters().Sum(p => p.numel());
}
