using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EcgOrleans.Signal.Tests.Databases;

/// <summary>
/// Serves a folder over HTTP on 127.0.0.1 as PhysioNet serves a database: <c>/files/db/version/name</c>, HEAD and GET,
/// GET with "Range: bytes=N-" answered 206 (or 416 past the end), and SHA256SUMS.txt from the folder's SHA256SUMS
/// when it has no .txt. Faults on request: a file served with one byte flipped, a connection closed after N bytes.
/// </summary>
internal sealed class LoopbackFileServer : IDisposable
{
    private const string Prefix = "/files/mitdb/1.0.0/";
    private readonly string _folder;
    private readonly HttpListener _listener;
    private readonly Task _loop;

    public LoopbackFileServer(string folder)
    {
        _folder = folder;
        (_listener, var port) = Start();
        BaseUrl = new Uri($"http://127.0.0.1:{port}{Prefix}");
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Every request: method, file (relative to the database's folder) and Range header.</summary>
    public ConcurrentQueue<(string Method, string File, string? Range)> Requests { get; } = new();

    /// <summary>Files served with their middle byte flipped.</summary>
    public ConcurrentDictionary<string, bool> Corrupt { get; } = new();

    /// <summary>Files whose next GET sends the full Content-Length but closes the connection after this many bytes.</summary>
    public ConcurrentDictionary<string, int> CutAfter { get; } = new();

    /// <summary>Answer every GET with the whole file (200), as a server without range support does.</summary>
    public bool IgnoreRange { get; set; }

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
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
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
            var file = path.StartsWith(Prefix, StringComparison.Ordinal) ? Uri.UnescapeDataString(path[Prefix.Length..]) : "";
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
