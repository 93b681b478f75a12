namespace EcgOrleans.Signal.Databases;

/// <summary>A database on PhysioNet: its short name, the version to fetch, and what it holds.</summary>
/// <param name="Name">PhysioNet's short name, the first part of its path (e.g. <c>mitdb</c>).</param>
/// <param name="Version">The published version to fetch (the second part of its path).</param>
/// <param name="Title">The database's title.</param>
/// <param name="SamplingFrequency">Sampling frequency of its ECG signals, Hz.</param>
public sealed record PhysioNetDatabase(string Name, string Version, string Title, double SamplingFrequency)
{
    /// <summary>Where its files are: <c>root/name/version/</c>, by default https://physionet.org/files/name/version/.</summary>
    public Uri BaseUrl(Uri? root = null) => new(root ?? PhysioNetDatabases.FilesRoot, $"{Name}/{Version}/");
}

/// <summary>The annotated ECG databases of PhysioNet that the fetcher knows by short name.</summary>
public static class PhysioNetDatabases
{
    /// <summary>PhysioNet's file server: every database's files sit under <c>name/version/</c>, with a SHA256SUMS.txt.</summary>
    public static Uri FilesRoot { get; } = new("https://physionet.org/files/");

    public static IReadOnlyList<PhysioNetDatabase> Known { get; } =
    [
        new("mitdb", "1.0.0", "MIT-BIH Arrhythmia Database", 360),
        new("svdb", "1.0.0", "MIT-BIH Supraventricular Arrhythmia Database", 128),
        new("incartdb", "1.0.0", "St Petersburg INCART 12-lead Arrhythmia Database", 257),
        new("qtdb", "1.0.0", "QT Database", 250),
        new("nsrdb", "1.0.0", "MIT-BIH Normal Sinus Rhythm Database", 128),
        new("afdb", "1.0.0", "MIT-BIH Atrial Fibrillation Database", 250),
        new("edb", "1.0.0", "European ST-T Database", 250),
        new("nstdb", "1.0.0", "MIT-BIH Noise Stress Test Database", 360),
        new("vfdb", "1.0.0", "MIT-BIH Malignant Ventricular Ectopy Database", 250),
        new("cudb", "1.0.0", "CU Ventricular Tachyarrhythmia Database", 250),
        new("ltafdb", "1.0.0", "Long Term AF Database", 128),
    ];

    public static bool TryGet(string name, out PhysioNetDatabase database)
    {
        database = Known.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return database is not null;
    }

    /// <summary>The database called <paramref name="name"/>; an unknown name is an error listing the known ones.</summary>
    public static PhysioNetDatabase Get(string name) =>
        TryGet(name, out var database)
            ? database
            : throw new ArgumentException(
                $"'{name}' is not a database the fetcher knows ({string.Join(", ", Known.Select(d => d.Name))}); give its base URL instead",
                nameof(name));
}
