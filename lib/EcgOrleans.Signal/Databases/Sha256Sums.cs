namespace EcgOrleans.Signal.Databases;

/// <summary>One line of a SHA256SUMS.txt: a file, relative to the listing's folder, and its SHA-256 in lower-case hex.</summary>
public sealed record ChecksumEntry(string Path, string Sha256);

/// <summary>
/// The checksum listing PhysioNet publishes with every database (<c>SHA256SUMS.txt</c>, as sha256sum(1) writes it:
/// 64 hex digits, a space, a space or '*', and the file's path relative to the database's folder).
/// </summary>
public static class Sha256Sums
{
    public const string FileName = "SHA256SUMS.txt";

    /// <summary>
    /// The entries of <paramref name="text"/>. A malformed line, a duplicate, or a path that would leave the output
    /// folder (absolute, with "..", or a backslash) is an error naming <paramref name="source"/> and the line.
    /// </summary>
    public static IReadOnlyList<ChecksumEntry> Parse(string text, string source)
    {
        var entries = new List<ChecksumEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            var where = $"{source}, line {i + 1}";
            if (line.Length < 67 || !line[..64].All(char.IsAsciiHexDigit) || line[64] != ' ' || line[65] is not (' ' or '*'))
                throw new PhysioNetFetchException($"{where}: '{Shorten(line)}' is not '<64 hex digits>  <file>'", FileName);
            var path = line[66..];
            if (!IsSafeRelativePath(path))
                throw new PhysioNetFetchException($"{where}: '{Shorten(path)}' is not a plain relative path inside the database's folder", FileName);
            if (!seen.Add(path))
                throw new PhysioNetFetchException($"{where}: '{path}' is listed twice", FileName);
            entries.Add(new ChecksumEntry(path, line[..64].ToLowerInvariant()));
        }
        if (entries.Count == 0)
            throw new PhysioNetFetchException($"{source} lists no files", FileName);
        return entries;
    }

    /// <summary>Segments of letters, digits and common punctuation, separated by '/': nothing absolute, hidden above, or odd.</summary>
    public static bool IsSafeRelativePath(string path) =>
        path.Length is > 0 and <= 1024
        && !path.StartsWith('/')
        && !path.Any(c => c is '\\' or ':' || char.IsControl(c))
        && path.Split('/').All(segment => segment.Length > 0 && segment is not "." and not ".." && segment.Trim() == segment);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
