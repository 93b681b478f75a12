namespace EcgOrleans.Abstractions;

/// <summary>How grain keys are built and taken apart, in one place.</summary>
public static class GrainKeys
{
    /// <summary>The key of the one <see cref="IModelRegistryGrain"/>. Stored registries are under this key: keep it.</summary>
    public const string ModelRegistry = "default";

    /// <summary>The key of the one <see cref="IRunCatalogGrain"/>. Stored catalogs are under this key: keep it.</summary>
    public const string RunCatalog = "default";

    public static string Record(string run, string dataset, string record) =>
        $"{CheckPart(run, nameof(run))}/{CheckPart(dataset, nameof(dataset))}/{CheckPart(record, nameof(record))}";

    public static (string Run, string Dataset, string Record) ParseRecord(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : throw new ArgumentException($"'{key}' is not run/dataset/record", nameof(key));
    }

    public static string ClassMap(string run, string mapKey) => $"{CheckPart(run, nameof(run))}/{mapKey}";

    public static (string Run, string MapKey) ParseClassMap(string key)
    {
        var slash = key.IndexOf('/');
        return slash > 0 ? (key[..slash], key[(slash + 1)..]) : throw new ArgumentException($"'{key}' is not run/grouping/class", nameof(key));
    }

    /// <summary>A silo's scoring queue for one analysis: "model@version/method/target".</summary>
    public static string ScoringQueue(string modelVersion, string method, string target) => $"{modelVersion}/{method}/{target}";

    public static (string ModelVersion, string Method, string Target) ParseScoringQueue(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : throw new ArgumentException($"'{key}' is not model@version/method/target", nameof(key));
    }

    /// <summary>Run, dataset and record names: letters, digits, '-', '_', '.'; 1..64 characters.</summary>
    public static string CheckPart(string value, string what)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64 || value is "." or ".."
            || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new EcgRequestException(EcgRequestException.Codes.InvalidArgument,
                $"{what} '{value}' must be 1 to 64 letters, digits, '-', '_' or '.'");
        }
        return value;
    }
}
