using System.Diagnostics;
using EcgOrleans.Tests;

namespace EcgOrleans.Deploy.Tests;

/// <summary>
/// The build step that makes TorchSharp's native library load on Debian 12 (build/LibTorchSharpGlibcxx.targets).
/// </summary>
public sealed class BuildTests
{
    /// <summary>
    /// When the step patched the output copy after copying it, every rebuild copied the package's library back and
    /// patched it again, and a silo started in between failed to load TorchSharp. A rebuild with nothing changed must
    /// leave the output's library as it is: same file, same time.
    /// </summary>
    [Fact]
    public async Task Building_the_silo_again_leaves_its_native_TorchSharp_library_untouched()
    {
        var library = TestData.BuiltOutput("silo/EcgOrleans.Silo", "libLibTorchSharp.so");
        var (inodeBefore, timeBefore) = (await InodeAsync(library), File.GetLastWriteTimeUtc(library));

        var build = await RunAsync("dotnet", "build", Path.Combine(TestData.RepositoryRoot, "silo", "EcgOrleans.Silo"),
            "-c", "Release", "--no-dependencies", "--nologo", "-v", "quiet", "--disable-build-servers");
        Assert.True(build.ExitCode == 0, $"dotnet build exited with {build.ExitCode}:\n{build.Output}");

        Assert.Equal(inodeBefore, await InodeAsync(library));
        Assert.Equal(timeBefore, File.GetLastWriteTimeUtc(library));
    }

    private static async Task<string> InodeAsync(string path)
    {
        var stat = await RunAsync("stat", "-c", "%i", path);
        Assert.True(stat.ExitCode == 0, stat.Output);
        return stat.Output.Trim();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
