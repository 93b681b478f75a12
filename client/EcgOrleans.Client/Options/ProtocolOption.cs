using EcgOrleans.Ml.Evaluation;

namespace EcgOrleans.Client.Options;

/// <summary>
/// The evaluation protocol of train and evaluate: <c>--protocol intra|inter</c>. Its old name <c>--split</c> still
/// takes intra and inter, with a warning: <c>--split</c> now names MIT-BIH record sets (ds1, ds2, paced, all) only.
/// </summary>
internal static class ProtocolOption
{
    public const string Description = "intra (stratified beats of DS1+DS2, the same patients on both sides) or inter (train DS1, test DS2).";

    /// <summary>Whether <c>--split</c> was given one of the old protocol names.</summary>
    public static bool IsOldName(string? split) => split is not null && Protocols.IsName(split);

    /// <summary>The protocol the options name, or null when they name none.</summary>
    public static string? Resolve(string? protocol, string? split) => protocol ?? (IsOldName(split) ? split!.Trim().ToLowerInvariant() : null);

    /// <summary>What is wrong with the two options, or null: an unknown protocol, or both options given.</summary>
    public static string? Problem(string? protocol, string? split)
    {
        if (protocol is not null && !Protocols.IsName(protocol))
            return $"--protocol '{protocol}': use intra or inter";
        return protocol is not null && split is not null ? "give --protocol or --split, not both (--split intra|inter is the old name of --protocol)" : null;
    }

    /// <summary>The warning for the old name, or null when it was not used.</summary>
    public static string? Deprecation(string? split) => IsOldName(split)
        ? $"warning: --split {split!.Trim().ToLowerInvariant()} is deprecated: use --protocol {split.Trim().ToLowerInvariant()} (--split now names MIT-BIH record sets: ds1, ds2, paced, all)"
        : null;
}
