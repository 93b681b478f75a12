namespace EcgOrleans.Tests;

/// <summary>
/// Where tests find the MIT-BIH Arrhythmia Database: the ECG_MITDB environment variable, else
/// ../shared/data/mitdb beside the repository. Tests that need it fail (never skip) when it is absent, and carry
/// <c>[Trait("Category", "Data")]</c> so that the unit run leaves them out (<see cref="CategoryTraitChecks"/>).
/// </summary>
public static class TestData
{
    public const string Variable = "ECG_MITDB";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string MitBihDirectory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(Variable);
            var directory = string.IsNullOrWhiteSpace(configured)
                ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "mitdb"))
                : configured;
            if (!File.Exists(Path.Combine(directory, "100.hea")))
                throw new InvalidOperationException(
                    $"MIT-BIH not found in {directory}: set {Variable} to a folder holding the 48 records (https://physionet.org/content/mitdb/1.0.0/)");
            return directory;
        }
    }

    /// <summary>A fresh, empty folder under the test run's temporary directory.</summary>
    public static string NewTempDirectory(string prefix = "ecg")
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// A file of another project's Release build, as <c>tests/run</c> builds the solution before any test runs. Tests
    /// that start a silo process use the built one rather than building it: a build while another test's silo
    /// starts or runs replaces files under it.
    /// </summary>
    public static string BuiltOutput(string project, string file)
    {
        var path = Path.Combine(RepositoryRoot, project, "bin", "Release", "net10.0", "linux-x64", file);
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: build the solution in Release first (tests/run does)");
        return path;
    }

    public static string BuiltSilo => BuiltOutput("silo/EcgOrleans.Silo", "EcgOrleans.Silo.dll");

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EcgOrleans.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no EcgOrleans.sln above {AppContext.BaseDirectory}");
    }
}
