using System.Security.Cryptography;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Databases;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary><c>ecg fetch</c> against a loopback server that serves MIT-BIH as PhysioNet does.</summary>
[Trait("Category", "Data")]
public sealed class FetchTests : IDisposable
{
    private readonly LoopbackDatabaseServer _server = new(TestData.MitBihDirectory);
    private readonly string _out = Path.Combine(TestData.NewTempDirectory("ecg-fetch"), "mitdb");

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(Path.GetDirectoryName(_out)!, recursive: true);
    }

    /// <summary>The checksums PhysioNet lists for the database, by file.</summary>
    private static Dictionary<string, string> Listed() =>
        File.ReadLines(Path.Combine(TestData.MitBihDirectory, "SHA256SUMS"))
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1].Trim(), parts => parts[0]);

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task Fetch_downloads_and_verifies_all_48_records_and_fetches_nothing_the_second_time()
    {
        Assert.Equal(0, await Cli.RunAsync("fetch", "mitdb", "--base-url", _server.BaseUrl.ToString(), "--out", _out));

        var listed = Listed();
        Assert.Equal(145, listed.Count);
        Assert.All(listed, entry => Assert.Equal(entry.Value, Sha256(Path.Combine(_out, entry.Key))));
        var headers = Directory.GetFiles(_out, "*.hea").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(DatasetSplits.All, headers);
        Assert.Empty(Directory.GetFiles(_out, "*" + PhysioNetFetcher.PartialSuffix));
        Assert.Equal(WfdbRecord.Read(TestData.MitBihDirectory, "208").Annotations, WfdbRecord.Read(_out, "208").Annotations);

        var gets = _server.Gets().Count();
        Assert.Equal(0, await Cli.RunAsync("fetch", "mitdb", "--base-url", _server.BaseUrl.ToString(), "--out", _out));
        Assert.Equal([Sha256Sums.FileName], _server.Gets().Skip(gets).Select(g => g.File));
    }

    [Fact]
    public async Task A_file_that_does_not_match_its_checksum_is_refused_with_an_error_naming_it()
    {
        _server.Corrupt["101.dat"] = true;

        var e = await Assert.ThrowsAsync<PhysioNetFetchException>(() =>
            Cli.RunAsync("fetch", "mitdb", "--records", "100,101", "--base-url", _server.BaseUrl.ToString(), "--out", _out));

        Assert.StartsWith("101.dat: its SHA-256 is ", e.Message);
        Assert.Equal("101.dat", e.File);
        Assert.False(File.Exists(Path.Combine(_out, "101.dat")));
        Assert.False(File.Exists(Path.Combine(_out, "101.dat" + PhysioNetFetcher.PartialSuffix)));
        Assert.Equal(Listed()["100.dat"], Sha256(Path.Combine(_out, "100.dat")));
        Assert.DoesNotContain(_server.Gets(), g => g.File.StartsWith("102", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_interrupted_download_is_resumed_where_it_stopped()
    {
        Directory.CreateDirectory(_out);
        var whole = File.ReadAllBytes(Path.Combine(TestData.MitBihDirectory, "100.dat"));
        File.WriteAllBytes(Path.Combine(_out, "100.dat" + PhysioNetFetcher.PartialSuffix), whole[..1_000_000]);

        Assert.Equal(0, await Cli.RunAsync("fetch", "mitdb", "--records", "100", "--base-url", _server.BaseUrl.ToString(), "--out", _out));

        Assert.Equal(whole, File.ReadAllBytes(Path.Combine(_out, "100.dat")));
        Assert.Equal(["bytes=1000000-"], _server.Gets().Where(g => g.File == "100.dat").Select(g => g.Range));
        Assert.Equal(["100.atr", "100.dat", "100.hea"], Directory.GetFiles(_out, "100.*").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_database_the_fetcher_does_not_know_needs_a_base_url()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => Cli.RunAsync("fetch", "nosuchdb", "--out", _out));

        Assert.Contains("'nosuchdb' is not a database ecg fetch knows (mitdb, svdb, incartdb, qtdb", e.Message);
        Assert.Contains("give its folder with --base-url", e.Message);
        Assert.False(Directory.Exists(_out));
    }
}
