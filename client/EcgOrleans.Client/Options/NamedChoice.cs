namespace EcgOrleans.Client.Options;

/// <summary>An option whose value is one of a few names, each standing for a value.</summary>
internal static class NamedChoice
{
    /// <summary>The value <paramref name="name"/> stands for; an unknown name is an <see cref="ArgumentException"/> listing the known ones.</summary>
    public static T Parse<T>(string option, string name, params (string Name, T Value)[] choices)
    {
        var key = name.Trim().ToLowerInvariant();
        foreach (var (known, value) in choices)
        {
            if (known == key) return value;
        }
        var names = choices.Select(c => c.Name).ToList();
        throw new ArgumentException($"unknown {option} '{name}': use {string.Join(", ", names[..^1])} or {names[^1]}");
    }
}
