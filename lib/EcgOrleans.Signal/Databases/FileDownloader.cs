using System.Net;
using System.Net.Http.Headers;

namespace EcgOrleans.Signal.Databases;

/// <summary>
/// Downloads one file to <c>path.download</c>, resuming with a Range request after a failed request (or from what a
/// previous fetch left), verifies its SHA-256, and only then gives it its name. A file whose checksum does not
/// match is deleted, never left under its name.
/// </summary>
internal sealed class FileDownloader(HttpClient http, FetchOptions options, FetchProgressTracker tracker)
{
    private long _bytesReceived;

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public async Task<FetchedFile> DownloadAsync(ChecksumEntry entry, Uri url, string path, CancellationToken cancellationToken)
    {
        var partial = path + PhysioNetFetcher.PartialSuffix;
        // A file under its name with the wrong checksum may be a cut copy: resume from it, as from a partial download.
        if (File.Exists(path)) File.Move(path, partial, overwrite: true);
        var inherited = File.Exists(partial) && new FileInfo(partial).Length > 0; // bytes from before this fetch
        var requests = 0;
        var resumed = false;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                requests++;
                resumed |= await RequestAsync(entry, url, partial, cancellationToken);
            }
            catch (Exception e) when (Transient(e, cancellationToken))
            {
                if (attempt >= options.MaxAttempts)
                    throw new PhysioNetFetchException(
                        $"{entry.Path}: gave up after {attempt} requests to {url}: {e.Message} ({new FileInfo(partial).Length} bytes kept in {Path.GetFileName(partial)} for the next fetch)",
                        entry.Path, url, e);
                await Task.Delay(options.RetryDelay, cancellationToken);
                continue;
            }

            var actual = await PhysioNetFetcher.HashAsync(partial, cancellationToken);
            var length = new FileInfo(partial).Length;
            if (actual == entry.Sha256)
            {
                File.Move(partial, path, overwrite: true);
                tracker.Finished(entry.Path, length);
                return new FetchedFile(entry.Path, length, resumed ? FetchOutcome.Resumed : FetchOutcome.Downloaded, requests);
            }
            File.Delete(partial);
            if (inherited && attempt < options.MaxAttempts)
            {
                // The bytes kept from before may belong to another version of the file: fetch it whole once more.
                inherited = resumed = false;
                tracker.Restart(entry.Path);
                continue;
            }
            throw new PhysioNetFetchException(
                $"{entry.Path}: its SHA-256 is {actual}, not {entry.Sha256} as {Sha256Sums.FileName} lists; the {length}-byte download from {url} was deleted",
                entry.Path, url);
        }
    }

    /// <summary>One GET: the whole file, or the rest of it after what <paramref name="partial"/> holds (then true).</summary>
    private async Task<bool> RequestAsync(ChecksumEntry entry, Uri url, string partial, CancellationToken cancellationToken)
    {
        var offset = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (offset > 0) request.Headers.Range = new RangeHeaderValue(offset, null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
            return false; // nothing after what is kept: it may be the whole file, the checksum will tell
        if ((int)response.StatusCode >= 500)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        if (!response.IsSuccessStatusCode)
            throw new PhysioNetFetchException($"{entry.Path}: HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {url}", entry.Path, url);

        // A server that ignores the Range header sends the whole file again (200): start over.
        var range = response.Content.Headers.ContentRange;
        var append = response.StatusCode == HttpStatusCode.PartialContent && range?.From == offset;
        if (!append) offset = 0;
        var length = append ? range!.Length : response.Content.Headers.ContentLength;
        tracker.Receiving(entry.Path, offset, length);

        await using (var file = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                Interlocked.Add(ref _bytesReceived, read);
                tracker.Received(entry.Path, read);
            }
        }
        var kept = new FileInfo(partial).Length;
        if (length is { } expected && kept < expected)
            throw new IOException($"the response ended after {kept} of {expected} bytes");
        return append;
    }

    /// <summary>Failures worth another request: the connection or the server, not the caller's cancellation.</summary>
    private static bool Transient(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested); // the client's timeout
}
