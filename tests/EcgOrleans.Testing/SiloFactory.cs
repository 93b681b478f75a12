using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace EcgOrleans.Tests;

/// <summary>
/// The real silo (Program) in the test process: Orleans on free ports with in-memory storage and no bundled
/// models, one API key, smaller request limits so oversized bodies are cheap to send. Extra settings override these.
/// </summary>
public class SiloFactory(IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string ApiKey = "silo-tests-key-7f3a9c";
    public const long MaxChunkBytes = 512 << 10;
    public const long MaxCheckpointBytes = 8 << 20;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var values = new Dictionary<string, string?>
        {
            ["Ecg:SiloPort"] = Ports.Free().ToString(),
            ["Ecg:GatewayPort"] = Ports.Free().ToString(),
            ["Ecg:ClusterId"] = $"tests-{Guid.NewGuid():N}",
            ["Ecg:Models"] = Path.Combine(Path.GetTempPath(), "ecg-no-bundled-models"),
            ["Ecg:Api:Keys:0"] = ApiKey,
            ["Ecg:Api:MaxChunkBytes"] = MaxChunkBytes.ToString(),
            ["Ecg:Api:MaxCheckpointBytes"] = MaxCheckpointBytes.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        foreach (var (key, value) in values) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error);
            // Everything the web side logs, down to Debug, is kept for tests that read the log.
            logging.AddProvider(Logs);
            logging.AddFilter<CapturedLogs>("Microsoft.AspNetCore", LogLevel.Debug);
            logging.AddFilter<CapturedLogs>("EcgOrleans", LogLevel.Debug);
        });
    }

    public CapturedLogs Logs { get; } = new();

    /// <summary>A client that sends the API key.</summary>
    public HttpClient CreateWriter()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }
}

/// <summary>A logger provider that keeps every message (with its exception) in memory.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
