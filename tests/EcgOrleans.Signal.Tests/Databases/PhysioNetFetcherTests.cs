using System.Diagnostics;
using System.Security.Cryptography;
using EcgOrleans.Signal.Databases;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;
using Xunit.Abstractions;

namespace EcgOrleans.Signal.Tests.Databases;

/// <summary>The fetcher against a loopback server that serves MIT-BIH as PhysioNet does, faults included.</summary>
[Trait("Category", "Data")]
public sealed class PhysioNetFetcherTests : IDisposable
{
    private static readonly FetchOptions Quick = new() { RetryDelay = TimeSpan.Zero };

    private readonly ITestOutputHelper _output;
    private readonly LoopbackDatabaseServer _server = new(TestData.MitBihDirectory);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly string _folder = TestData.NewTempDirectory("fetch");

    public PhysioNetFetcherTests(ITestOutputHelper output) => _output = output;

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private PhysioNetFetcher Fetcher => new(_http);

    [Fact]
    public async Task Fetches_every_file_of_MIT_BIH_verifies_48_records_and_skips_them_the_next_time()
    {
        var reports = new List<FetchProgress>();
        var clock = Stopwatch.StartNew();

        var result = await Fetcher.FetchAsync(_server.BaseUrl, _folder, Quick, reports.Add);

        _output.WriteLine($"fetched {result.BytesDownloaded:N0} bytes in {result.Files.Count} files over loopback in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(48, result.Records.Count);
        Assert.Equal(145, result.Files.Count); // 48 × (hea, dat, atr) and README.md
        Assert.All(result.Files, f => Assert.Equal(FetchOutcome.Downloaded, f.Outcome));
        var expectedBytes = Directory.GetFiles(TestData.MitBihDirectory).Where(f => !f.EndsWith("SHA256SUMS")).Sum(f => new FileInfo(f).Length);
        Assert.Equal(expectedBytes, result.BytesDownloaded);
        foreach (var name in new[] { "100.dat", "207.atr", "234.hea" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(TestData.MitBihDirectory, name)), File.ReadAllBytes(Path.Combine(_folder, name)));
        Assert.Equal(WfdbRecord.Read(TestData.MitBihDirectory, "208").Annotations, WfdbRecord.Read(_folder, "208").Annotations);
        Assert.True(File.Exists(Path.Combine(_folder, Sha256Sums.FileName)));
        Assert.Empty(Directory.GetFiles(_folder, "*" + PhysioNetFetcher.PartialSuffix));

        // Progress: a known total from the first report on, never going backwards, ending complete.
        Assert.All(reports, r => Assert.Equal(expectedBytes, r.BytesTotal));
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.BytesDone >= p.First.BytesDone));
        Assert.Equal((expectedBytes, 145, 145), (reports[^1].BytesDone, reports[^1].FilesDone, reports[^1].FilesTotal));
        Assert.Contains(reports, r => r.File == "100.dat" && r.FileBytes > 0 && r.FileBytes < r.FileLength);

        var requestsBefore = _server.Requests.Count;
        var again = await Fetcher.FetchAsync(_server.BaseUrl, _folder, Quick);
        Assert.All(again.Files, f => Assert.Equal(FetchOutcome.AlreadyPresent, f.Outcome));
        Assert.Equal(0, again.BytesDownloaded);
        Assert.Equal([("GET", "SHA256SUMS.txt")], _server.Requests.Skip(requestsBefore).Select(r => (r.Method, r.File)));
    }

    [Fact]
    public async Task A_corrupted_file_is_refused_naming_it_and_is_not_left_under_its_name()
    {
        _server.Corrupt["101.dat"] = true;

        var error = await Assert.ThrowsAsync<PhysioNetFetchException>(() =>
            Fetcher.FetchAsync(_server.BaseUrl, _folder, Quick with { Records = ["100", "101"] }));

        Assert.Equal("101.dat", error.File);
        Assert.StartsWith("101.dat: its SHA-256 is", error.Message);
        Assert.False(File.Exists(Path.Combine(_folder, "101.dat")));
        Assert.False(File.Exists(Path.Combine(_folder, "101.dat" + PhysioNetFetcher.PartialSuffix)));
        Assert.True(File.Exists(Path.Combine(_folder, "100.dat"))); // fetched and verified before it
    }

    [Fact]
    public async Task An_interrupted_download_resumes_with_a_range_request_and_completes()
    {
        _server.CutAfter["100.dat"] = 700_001;

        var result = await Fetcher.FetchAsync(_server.BaseUrl, _folder, Quick with { Records = ["100"] });

        var dat = Assert.Single(result.Files, f => f.Path == "100.dat");
        Assert.Equal((FetchOutcome.Resumed, 2), (dat.Outcome, dat.Requests));
        Assert.Equal([null, "bytes=700001-"], _server.Gets("100.dat").Select(r => r.Range));
        Assert.Equal(Sha256Of(Path.Combine(TestData.MitBihDirectory, "100.dat")), Sha256Of(Path.Combine(_folder, "100.dat")));
        Assert.Equal(["100"], result.Records);
        Assert.Equal(3, result.Files.Count);
    }

    [Fact]
    public async Task A_partial_download_left_by_an_earlier_fetch_is_resumed_where_it_stopped()
    {
        var original = File.ReadAllBytes(Path.Combine(TestData.MitBihDirectory, "100.dat"));
        File.WriteAllBytes(Path.Combine(_folder, "100.dat" + PhysioNetFetcher.PartialSuffix), original[..1000]);

        var result = await Fetcher.FetchAsync(_server.BaseUrl, _folder, Quick with { Records = ["100"] });

        Assert.Equal((FetchOutcome.Resumed, 1), result.Files.Where(f => f.Path == "100.dat").Select(f => (f.Outcome, f.Requests)).Single());
        Assert.Equal(["bytes=1000-"], _server.Gets("100.dat").Select(r => r.Range));
        Assert.Equal(original.Length - 1000, result.BytesDownloaded - result.Files.Where(f => f.Path != "100.dat").Sum(f => f.Length));
        Assert.Equal(original, File.ReadAllBytes(Path.Combine(_folder, "100.dat")));
    }

    [Fact]
    public async Task A_bad_local_copy_is_fetched_again_and_good_ones_are_kept()
    {
        await Fetcher.FetchAsync(_server.BaseUrl, _folder, Quick with { Records = ["100"] });
        var atr = Path.Combine(_folder, "100.atr");
        var bytes = File.ReadAllBytes(atr);
        bytes[10] ^= 0xFF;
        File.WriteAllBytes(atr, bytes);

        var result = await Fetcher.FetchAsync(_server.BaseUrl, _folder, Quick with { Records = ["100"] });

        Assert.Equal(FetchOutcome.AlreadyPresent, result.Files.Single(f => f.Path == "100.dat").Outcome);
        var fetched = result.Files.Single(f => f.Path == "100.atr");
        // Resumed from the bad copy's end (nothing after it: 416), found wrong, fetched whole.
        Assert.Equal((FetchOutcome.Downloaded, 2), (fetched.Outcome, fetched.Requests));
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestData.MitBihDirectory, "100.atr")), File.ReadAllBytes(atr));
    }

    [Fact]
    public async Task A_server_without_range_support_is_answered_by_starting_the_file_over()
    {
        _server.IgnoreRange = true;
        _server.CutAfter["100.dat"] = 5000;

        var result = await Fetcher.FetchAsync(_server.BaseUrl, _folder, Quick with { Records = ["100"] });

        Assert.Equal((FetchOutcome.Downloaded, 2), result.Files.Where(f => f.Path == "100.dat").Select(f => (f.Outcome, f.Requests)).Single());
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestData.MitBihDirectory, "100.dat")), File.ReadAllBytes(Path.Combine(_folder, "100.dat")));
    }

    [Fact]
    public async Task A_record_the_listing_does_not_have_is_an_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<PhysioNetFetchException>(() =>
            Fetcher.FetchAsync(_server.BaseUrl, _folder, Quick with { Records = ["100", "999", "x"] }));

        Assert.Contains("record(s) 999, x are not in SHA256SUMS.txt", error.Message);
        Assert.False(File.Exists(Path.Combine(_folder, "100.dat")));
    }

    [Fact]
    public async Task A_wrong_database_version_is_an_error_naming_the_listing_URL()
    {
        var wrong = new Uri(_server.BaseUrl, "../9.9.9/");

        var error = await Assert.ThrowsAsync<PhysioNetFetchException>(() => Fetcher.FetchAsync(wrong, _folder, Quick));

        Assert.Equal(Sha256Sums.FileName, error.File);
        Assert.Contains("9.9.9/SHA256SUMS.txt: HTTP 404", error.Message);
    }

    [Fact]
    public async Task Giving_up_after_the_last_attempt_names_the_file_and_keeps_what_arrived()
    {
        _server.CutAfter["100.hea"] = 50;

        var error = await Assert.ThrowsAsync<PhysioNetFetchException>(() =>
            Fetcher.FetchAsync(_server.BaseUrl, _folder, Quick with { Records = ["100"], MaxAttempts = 1 }));

        Assert.Equal("100.hea", error.File);
        Assert.Contains("gave up after 1 requests", error.Message);
        Assert.Equal(50, new FileInfo(Path.Combine(_folder, "100.hea" + PhysioNetFetcher.PartialSuffix)).Length);
        Assert.False(File.Exists(Path.Combine(_folder, "100.hea")));
    }

    [Fact]
    public void Known_databases_map_short_names_to_PhysioNet_paths()
    {
        Assert.Equal(new Uri("https://physionet.org/files/mitdb/1.0.0/"), PhysioNetDatabases.Get("mitdb").BaseUrl());
        Assert.Equal(new Uri("https://physionet.org/files/svdb/1.0.0/"), PhysioNetDatabases.Get("SVDB").BaseUrl());
        foreach (var name in new[] { "incartdb", "qtdb", "nsrdb" }) Assert.Equal("1.0.0", PhysioNetDatabases.Get(name).Version);
        Assert.Equal(128, PhysioNetDatabases.Get("svdb").SamplingFrequency);
        var error = Assert.Throws<ArgumentException>(() => PhysioNetDatabases.Get("nodb"));
        Assert.Contains("mitdb", error.Message);
    }

    [Theory]
    [InlineData("abc  100.dat", "is not '<64 hex digits>  <file>'")]
    [InlineData("7d825dc0b4c54591c74f3dc8c5c5f6c9b431f9c4065b4ba294490c386b14ca78  ../etc/passwd", "plain relative path")]
    [InlineData("7d825dc0b4c54591c74f3dc8c5c5f6c9b431f9c4065b4ba294490c386b14ca78  /etc/passwd", "plain relative path")]
    [InlineData("7d825dc0b4c54591c74f3dc8c5c5f6c9b431f9c4065b4ba294490c386b14ca78  a\\b", "plain relative path")]
    [InlineData("7d825dc0b4c54591c74f3dc8c5c5f6c9b431f9c4065b4ba294490c386b14ca78  a//b", "plain relative path")]
    [InlineData("", "lists no files")]
    public void A_malformed_checksum_listing_is_refused_naming_the_line(string line, string problem)
    {
        var text = "8d8a5349fb16638ebbf649f1779d12e96d91b736b2aafe59db43719ae583d471  100.atr\n" + line;
        if (line.Length == 0) text = "\n\n";
        var error = Assert.Throws<PhysioNetFetchException>(() => Sha256Sums.Parse(text, "list"));
        Assert.Contains(problem, error.Message);
        if (line.Length > 0) Assert.StartsWith("list, line 2", error.Message);
    }

    [Fact]
    public void The_listing_takes_binary_mode_lines_subfolders_and_upper_case_digits()
    {
        var entries = Sha256Sums.Parse(
            "8D8A5349FB16638EBBF649F1779D12E96D91B736B2AAFE59DB43719AE583D471 *x/100.atr\r\n\r\n" +
            "7d825dc0b4c54591c74f3dc8c5c5f6c9b431f9c4065b4ba294490c386b14ca78  RECORDS\n", "list");
        Assert.Equal([new ChecksumEntry("x/100.atr", "8d8a5349fb16638ebbf649f1779d12e96d91b736b2aafe59db43719ae583d471"),
            new ChecksumEntry("RECORDS", "7d825dc0b4c54591c74f3dc8c5c5f6c9b431f9c4065b4ba294490c386b14ca78")], entries);
    }

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
