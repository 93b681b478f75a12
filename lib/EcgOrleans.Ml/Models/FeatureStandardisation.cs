namespace EcgOrleans.Ml.Models;

/// <summary>
/// Per-feature centre and spread with which a model standardises its beat features before its head:
/// (r − Mean) / Scale. Fitted on the training beats (<c>ecg train --standardise-features</c>) and kept in the
/// checkpoint's metadata, like the decision bias, so the weights and their hash are those of training.
/// Why: the features are ratios near 1 and distances near 0 whose differences between classes are tenths, next to
/// hundreds of convolutional features of unit scale; at Adam's step size their weights would need thousands of
/// steps to give them a say.
/// </summary>
public sealed record FeatureStandardisation(IReadOnlyList<float> Mean, IReadOnlyList<float> Scale)
{
    /// <summary>What is wrong with it for a model of <paramref name="features"/> features, or null.</summary>
    public string? Problem(int features)
    {
        if (Mean is null || Scale is null) return "feature standardisation needs a mean and a scale";
        if (Mean.Count != features || Scale.Count != features)
            return $"feature standardisation has {Mean.Count} means and {Scale.Count} scales for {features} features";
        if (Mean.Any(m => !float.IsFinite(m))) return "feature standardisation holds a mean that is not finite";
        if (Scale.Any(s => !(s > 0) || !float.IsFinite(s))) return "feature standardisation holds a scale that is not a positive number";
        return null;
    }

    /// <summary>Equal values (records compare lists by reference); null equals only null.</summary>
    public static bool Same(FeatureStandardisation? a, FeatureStandardisation? b) =>
        a is null || b is null ? a is null && b is null : a.Mean.SequenceEqual(b.Mean) && a.Scale.SequenceEqual(b.Scale);
}
