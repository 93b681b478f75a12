using System.Collections.Concurrent;
using System.Net;

namespace EcgOrleans.Tests;

/// <summary>
/// Serves a folder over HTTP on 127.0.0.1 as PhysioNet serves a database: <c>/files/db/version/name</c>, HEAD and GET,
/// GET with "Range: bytes=N-" answered 206 (or 416 past the end), and SHA256SUMS.txt from the folder's SHA256SUMS
/// when it has no .txt. Faults on request: a file served with one byte flipped, a connection closed after N bytes.
/// </summary>
public sealed class LoopbackDatabaseServer : IDisposable
{
    private readonly string _prefix;
    private readonly string _folder;
    private readonly HttpListener _listener;
    private readonly Task _loop;

    public LoopbackDatabaseServer(string folder, string database = "mitdb", string version = "1.0.0")
    {
        _folder = folder;
        _prefix = $"/files/{database}/{version}/";
        (_listener, var port) = Start();
        BaseUrl = new Uri($"http://127.0.0.1:{port}{_prefix}");
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The database's folder: what <c>ecg fetch --base-url</c> takes.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Every request: method, file (relative to the database's folder) and Range header.</summary>
    public ConcurrentQueue<(string Method, string File, string? Range)> Requests { get; } = new();

    /// <summary>Files served with their middle byte flipped.</summary>
    public ConcurrentDictionary<string, bool> Corrupt { get; } = new();

    /// <summary>Files whose next GET sends the full Content-Length but closes the connection after this many bytes.</summary>
    public ConcurrentDictionary<string, int> CutAfter { get; } = new();

    /// <summary>Answer every GET with the whole file (200), as a server without range support does.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Every GET so far: file and Range header.</summary>
    public IEnumerable<(string File, string? Range)> Gets() =>
        Requests.Where(r => r.Method == "GET").Select(r => (r.File, r.Range));

    public IEnumerable<(string Method, string File, string? Range)> Gets(string file) =>
        Requests.Where(r => r.Method == "GET" && r.File == file);

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private static (HttpListener, int) Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Ports.Free();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // another process took the port in between: try another
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var (request, response) = (context.Request, context.Response);
        try
        {
            var path = request.Url!.AbsolutePath;
            var file = path.StartsWith(_prefix, StringComparison.Ordinal) ? Uri.UnescapeDataString(path[_prefix.Length..]) : "";
            var range = request.Headers["Range"];
            Requests.Enqueue((request.HttpMethod, file, range));
            var bytes = Content(file);
            if (bytes is null)
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            var from = 0L;
            response.AddHeader("Accept-Ranges", "bytes");
            if (range is not null && !IgnoreRange && request.HttpMethod == "GET")
            {
                from = long.Parse(range["bytes=".Length..].TrimEnd('-'));
                if (from >= bytes.Length)
                {
                    response.StatusCode = 416;
                    response.AddHeader("Content-Range", $"bytes */{bytes.Length}");
                    response.Close();
                    return;
                }
                response.StatusCode = 206;
                response.AddHeader("Content-Range", $"bytes {from}-{bytes.Length - 1}/{bytes.Length}");
            }
            response.ContentLength64 = bytes.Length - from;
            if (request.HttpMethod == "HEAD")
            {
                response.Close();
                return;
            }
            if (CutAfter.TryRemove(file, out var cut))
            {
                await response.OutputStream.WriteAsync(bytes.AsMemory((int)from, cut));
                await response.OutputStream.FlushAsync();
                response.Abort(); // the connection drops mid-body
                return;
            }
            await response.OutputStream.WriteAsync(bytes.AsMemory((int)from));
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            response.Abort(); // the client went away
        }
    }

    private byte[]? Content(string file)
    {
        if (file.Length == 0 || file.Contains("..") || file.Contains('\\')) return null;
        var path = Path.Combine(_folder, file);
        if (file == "SHA256SUMS.txt" && !File.Exists(path)) path = Path.Combine(_folder, "SHA256SUMS");
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        if (Corrupt.ContainsKey(file)) bytes[bytes.Length / 2] ^= 0x01;
        return bytes;
    }
}
