using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace EcgOrleans.Signal.Databases;

/// <summary>
/// Downloads a PhysioNet database (or some of its records) into a folder: SHA256SUMS.txt first, then every file it
/// lists, each verified against its SHA-256 before it takes its name (until then it is <c>name.download</c>).
/// Files already present with the right checksum are skipped; a partial download is resumed with an HTTP Range
/// request, in this fetch or the next. The <see cref="HttpClient"/> is the caller's (timeouts, proxy, handler).
/// </summary>
public sealed class PhysioNetFetcher(HttpClient http)
{
    /// <summary>Suffix of a file still downloading or not yet verified.</summary>
    public const string PartialSuffix = ".download";

    private static readonly string[] FolderFiles = ["RECORDS", "ANNOTATORS"];

    /// <summary>Fetches a known database from PhysioNet (<see cref="PhysioNetDatabase.BaseUrl"/>).</summary>
    public Task<FetchResult> FetchAsync(PhysioNetDatabase database, string outputDirectory, FetchOptions? options = null,
        Action<FetchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAsync(database.BaseUrl(), outputDirectory, options, progress, cancellationToken);

    /// <summary>Fetches the files under <paramref name="baseUrl"/> (a folder holding SHA256SUMS.txt) into <paramref name="outputDirectory"/>.</summary>
    public async Task<FetchResult> FetchAsync(Uri baseUrl, string outputDirectory, FetchOptions? options = null,
        Action<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new FetchOptions();
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https"))
            throw new ArgumentException($"'{baseUrl}' is not an http(s) URL", nameof(baseUrl));
        if (options.MaxAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxAttempts, "MaxAttempts must be at least 1");
        if (!baseUrl.AbsolutePath.EndsWith('/')) baseUrl = new Uri(baseUrl + "/");
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outputDirectory);

        var listingUrl = new Uri(baseUrl, Sha256Sums.FileName);
        var listing = await GetListingAsync(listingUrl, cancellationToken);
        var entries = Select(Sha256Sums.Parse(listing, listingUrl.ToString()), options.Records);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, Sha256Sums.FileName), listing, Encoding.UTF8, cancellationToken);

        var tracker = new FetchProgressTracker(progress, entries.Count);
        var missing = new List<(ChecksumEntry Entry, string Path)>();
        var files = new List<FetchedFile>();
        foreach (var entry in entries)
        {
            var path = LocalPath(outputDirectory, entry.Path);
            if (File.Exists(path) && await HashAsync(path, cancellationToken) == entry.Sha256)
            {
                var length = new FileInfo(path).Length;
                tracker.Present(entry.Path, length);
                files.Add(new FetchedFile(entry.Path, length, FetchOutcome.AlreadyPresent, 0));
            }
            else
            {
                missing.Add((entry, path));
            }
        }
        await MeasureAsync(baseUrl, missing, tracker, cancellationToken);

        var downloader = new FileDownloader(http, options, tracker);
        foreach (var (entry, path) in missing)
            files.Add(await downloader.DownloadAsync(entry, UrlOf(baseUrl, entry.Path), path, cancellationToken));

        var records = entries.Where(e => e.Path.EndsWith(".hea", StringComparison.Ordinal))
            .Select(e => e.Path[..^4]).Order(StringComparer.Ordinal).ToList();
        return new FetchResult(outputDirectory, files, records, downloader.BytesReceived, clock.Elapsed);
    }

    /// <summary>The entries of the selected records (every entry when <paramref name="records"/> is null).</summary>
    internal static List<ChecksumEntry> Select(IReadOnlyList<ChecksumEntry> entries, IReadOnlyCollection<string>? records)
    {
        if (records is null) return [.. entries];
        var wanted = records.ToHashSet(StringComparer.Ordinal);
        var selected = entries.Where(e => wanted.Contains(RecordOf(e.Path)) || FolderFiles.Contains(e.Path)).ToList();
        var unknown = wanted.Where(r => !selected.Any(e => RecordOf(e.Path) == r)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new PhysioNetFetchException($"record(s) {string.Join(", ", unknown)} are not in {Sha256Sums.FileName}", Sha256Sums.FileName);
        return selected;
    }

    /// <summary>A file's record: its path without the extension (<c>100.dat</c> → <c>100</c>, <c>x/1.hea</c> → <c>x/1</c>).</summary>
    private static string RecordOf(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot > path.LastIndexOf('/') + 1 ? path[..dot] : path;
    }

    private async Task<string> GetListingAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new PhysioNetFetchException(
                    $"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase} (is the database name and version right?)", Sha256Sums.FileName, url);
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new PhysioNetFetchException($"{url}: {e.Message}", Sha256Sums.FileName, url, e);
        }
    }

    /// <summary>The lengths of the files to download (HEAD requests, four at a time), so progress can show a total.</summary>
    private async Task MeasureAsync(Uri baseUrl, List<(ChecksumEntry Entry, string Path)> missing, FetchProgressTracker tracker, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(missing, parallel, async (item, ct) =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Head, UrlOf(baseUrl, item.Entry.Path));
                using var response = await http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode && response.Content.Headers.ContentLength is { } length)
                    tracker.SetLength(item.Entry.Path, length);
            }
            catch (HttpRequestException)
            {
                // No length from HEAD: the GET will tell, and the total shows once it does.
            }
        });
    }

    internal static Uri UrlOf(Uri baseUrl, string path) => new(baseUrl, string.Join('/', path.Split('/').Select(Uri.EscapeDataString)));

    private static string LocalPath(string directory, string path)
    {
        if (path.EndsWith(PartialSuffix, StringComparison.Ordinal))
            throw new PhysioNetFetchException($"{path}: a listed name may not end in {PartialSuffix}, the suffix of unfinished downloads", path);
        var local = Path.Combine(directory, path.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        return local;
    }

    internal static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
