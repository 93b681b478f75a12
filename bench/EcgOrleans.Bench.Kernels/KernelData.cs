using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Bench.Kernels;

/// <summary>Where the benchmarks find MIT-BIH and the bundled checkpoint; set once by Program before any benchmark runs.</summary>
internal static class KernelData
{
    /// <summary>Bytes of record 100's signal file: 650,000 frames of two 12-bit samples (format 212, 3 bytes a frame).</summary>
    public const int Record100DatBytes = 1_950_000;

    public static string MitBih { get; set; } = "";

    public static string RepoRoot { get; } = FindRoot();

    public static string Checkpoint => Path.Combine(RepoRoot, "models", "kachuee-window-ds1.ckpt");

    public static WfdbRecord Record(string name) => WfdbRecord.Read(MitBih, name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EcgOrleans.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
