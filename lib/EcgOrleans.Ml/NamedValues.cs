namespace EcgOrleans.Ml;

/// <summary>Reads a value by its name among a few, with the error every option and endpoint shows.</summary>
internal static class NamedValues
{
    /// <summary>The value named <paramref name="text"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No value has that name: the message names the text and every valid name.</exception>
    public static T Parse<T>(string? text, string what, IReadOnlyList<T> values, Func<T, string> name)
    {
        foreach (var value in values)
        {
            if (string.Equals(name(value), text, StringComparison.OrdinalIgnoreCase)) return value;
        }
        throw new ArgumentException($"unknown {what} '{text}': use {Names(values.Select(name).ToList())}", nameof(text));
    }

    /// <summary>"a", "a or b", "one of a, b, c".</summary>
    public static string Names(IReadOnlyList<string> names) => names.Count switch
    {
        1 => names[0],
        2 => $"{names[0]} or {names[1]}",
        _ => $"one of {string.Join(", ", names)}",
    };
}
