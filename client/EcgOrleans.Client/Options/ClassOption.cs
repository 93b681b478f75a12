using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Client.Options;

/// <summary>An AAMI class named on the command line: a letter, in either case.</summary>
internal static class ClassOption
{
    /// <summary>The class <paramref name="name"/> names, or null; numbers are refused, though the enum would take them.</summary>
    public static AamiClass? Parse(string name) =>
        Enum.TryParse<AamiClass>(name.Trim(), ignoreCase: true, out var c) && Enum.IsDefined(c) && !int.TryParse(name, out _) ? c : null;

    public const string Error = "is not an AAMI class (N, S, V, F, Q)";
}
