using System.Reflection;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Options;

/// <summary>
/// Finds options a command does not have. Spectre.Console.Cli passes unknown options on as "remaining arguments",
/// so a misspelt option would be ignored (<c>--recrods 100</c> reading every record); its strict mode refuses them,
/// but without saying what was meant. The message here names the closest option the command has.
/// </summary>
internal static class UnknownOptions
{
    private static readonly string[] BuiltIn = ["-h", "--help", "-?"];

    /// <summary>The first unknown option of a command line as an error message, or null when there is none.</summary>
    /// <param name="settingsOf">Each command's name and its settings type.</param>
    public static string? Find(IReadOnlyList<string> args, IReadOnlyDictionary<string, Type> settingsOf)
    {
        if (args.Count == 0 || !settingsOf.TryGetValue(args[0], out var settings)) return null; // no command: Spectre says so
        var options = Options(settings);
        for (var i = 1; i < args.Count; i++)
        {
            var token = args[i];
            if (token == "--") break; // what follows is not options
            if (!token.StartsWith('-') || IsNumber(token) || BuiltIn.Contains(token)) continue;
            var name = token.Split('=', 2)[0];
            if (!options.TryGetValue(name, out var takesValue)) return Message(args[0], name, [.. options.Keys]);
            if (takesValue && !token.Contains('=')) i++; // its value, whatever it looks like (--limit -3)
        }
        return null;
    }

    /// <summary>"unknown option --recrds for ecg beats: did you mean --records?"</summary>
    internal static string Message(string command, string option, IReadOnlyList<string> known) =>
        $"unknown option {option} for ecg {command}" + (Closest(option, known) is { } closest ? $": did you mean {closest}?" : $" (see ecg {command} --help)");

    /// <summary>Every option of a settings type as typed (--long, -s), and whether it takes a value.</summary>
    internal static Dictionary<string, bool> Options(Type settings)
    {
        var options = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var property in settings.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is not { } option) continue;
            var takesValue = option.ValueName is not null && !option.ValueIsOptional;
            foreach (var name in option.LongNames) options["--" + name] = takesValue;
            foreach (var name in option.ShortNames) options["-" + name] = takesValue;
        }
        return options;
    }

    /// <summary>The known option nearest <paramref name="typed"/>, if it is near enough to be a slip.</summary>
    internal static string? Closest(string typed, IReadOnlyList<string> known)
    {
        var bare = typed.TrimStart('-');
        // An unambiguous start of a name counts as near: --check for --checkpoint.
        if (bare.Length >= 3 && known.Where(k => k.TrimStart('-').StartsWith(bare, StringComparison.Ordinal)).ToList() is [var only]) return only;
        var best = known.Select(k => (Name: k, Distance: Distance(typed, k))).OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, bare.Length / 3) ? best.Name : null;
    }

    /// <summary>Levenshtein distance with a transposition counted as one edit.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }

    private static bool IsNumber(string token) => double.TryParse(token, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
}

/// <summary>A command line the command cannot take: its message says what to type instead.</summary>
internal sealed class CommandOptionException(string message) : Exception(message);
