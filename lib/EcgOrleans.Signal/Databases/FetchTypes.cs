namespace EcgOrleans.Signal.Databases;

/// <summary>What <see cref="PhysioNetFetcher"/> fetches, and how hard it tries.</summary>
public sealed record FetchOptions
{
    /// <summary>
    /// Records to fetch (every listed file whose path without its extension is one of them, plus RECORDS and
    /// ANNOTATORS); null fetches every file SHA256SUMS.txt lists. A record the listing does not have is an error.
    /// </summary>
    public IReadOnlyCollection<string>? Records { get; init; }

    /// <summary>Requests per file before giving up; each one after the first resumes where the last stopped.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Pause before retrying a failed request.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>Progress of a fetch, reported as bytes arrive and as each file is checked or finished.</summary>
/// <param name="File">The file being fetched or checked (path relative to the database's folder).</param>
/// <param name="FileBytes">Bytes of it on disk so far.</param>
/// <param name="FileLength">Its length, when the server or the disk has told.</param>
/// <param name="BytesDone">Bytes of the whole fetch in place (files already present count as done).</param>
/// <param name="BytesTotal">Bytes of the whole fetch, when every file's length is known.</param>
/// <param name="FilesDone">Files verified so far.</param>
/// <param name="FilesTotal">Files to fetch or verify.</param>
public readonly record struct FetchProgress(
    string File, long FileBytes, long? FileLength, long BytesDone, long? BytesTotal, int FilesDone, int FilesTotal);

/// <summary>How a file came to be in place.</summary>
public enum FetchOutcome
{
    /// <summary>Already in the output folder with the listed checksum: not fetched.</summary>
    AlreadyPresent,

    /// <summary>Fetched from its first byte.</summary>
    Downloaded,

    /// <summary>Completed with an HTTP Range request from where an interrupted request (of this fetch or an earlier one) stopped.</summary>
    Resumed,
}

/// <summary>One file in place and verified.</summary>
/// <param name="Path">Path relative to the database's folder (and to the output folder).</param>
/// <param name="Length">Bytes.</param>
/// <param name="Outcome">Whether it was present, downloaded whole, or resumed.</param>
/// <param name="Requests">GET requests it took (0 when present).</param>
public sealed record FetchedFile(string Path, long Length, FetchOutcome Outcome, int Requests);

/// <summary>What a fetch put in place.</summary>
/// <param name="Directory">The output folder.</param>
/// <param name="Files">Every selected file, verified against SHA256SUMS.txt.</param>
/// <param name="Records">Names of the records whose header (<c>.hea</c>) is among them.</param>
/// <param name="BytesDownloaded">Bytes received in this fetch (files already present not counted).</param>
/// <param name="Elapsed">Wall-clock time of the fetch.</param>
public sealed record FetchResult(
    string Directory, IReadOnlyList<FetchedFile> Files, IReadOnlyList<string> Records, long BytesDownloaded, TimeSpan Elapsed);

/// <summary>A fetch failed: the listing or a file could not be had, or a file's SHA-256 did not match the listing.</summary>
public sealed class PhysioNetFetchException : Exception
{
    public PhysioNetFetchException(string message, string? file = null, Uri? url = null, Exception? inner = null)
        : base(message, inner)
    {
        File = file;
        Url = url;
    }

    /// <summary>The file concerned, relative to the database's folder, when there is one.</summary>
    public string? File { get; }

    public Uri? Url { get; }
}
