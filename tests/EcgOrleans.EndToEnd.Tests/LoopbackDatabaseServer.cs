using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary>
/// A folder served over HTTP on 127.0.0.1 as PhysioNet serves a database under <c>/files/name/version/</c>: HEAD and
/// GET, "Range: bytes=N-" answered 206, and SHA256SUMS.txt taken from the folder's SHA256SUMS when it has no .txt.
/// On request a file is served with one byte flipped. Self-contained, so that it can move to a shared test library.
/// </summary>
internal sealed class LoopbackDatabaseServer : IDisposable
{
    private readonly string _folder;
    private readonly string _prefix;
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

    /// <summary>Every GET: the file (relative to the database's folder) and its Range header.</summary>
    public ConcurrentQueue<(string File, string? Range)> Gets { get; } = new();

    /// <summary>Files served with their middle byte flipped.</summary>
    public ConcurrentDictionary<string, bool> Corrupt { get; } = new();

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
                listener.Close(); // the port was taken in between: try another
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
            if (request.HttpMethod == "GET") Gets.Enqueue((file, range));
            if (Content(file) is not { } bytes)
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            var from = 0L;
            response.AddHeader("Accept-Ranges", "bytes");
            if (range is not null && request.HttpMethod == "GET")
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
            if (request.HttpMethod == "GET") await response.OutputStream.WriteAsync(bytes.AsMemory((int)from));
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
