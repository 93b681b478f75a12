using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EcgOrleans.Silo.Tests;

/// <summary>
/// A silo on Kestrel, so headers, size limits and slow clients meet the real server, with a write key, a read key, a
/// short stream write timeout and two streams per client. Started once and never stopped before the process ends: in
/// this process a stopping silo takes the Orleans metrics of the others with it (see <see cref="SiloCollection"/>).
/// </summary>
public sealed class SecuritySilo : SiloFactory
{
    public const string ReadKey = "security-tests-read-key-5d1e";
    public const int StreamsPerClient = 2;
    public const int WriteTimeoutSeconds = 2;

    private static readonly Lazy<SecuritySilo> Started = new(() =>
    {
        var silo = new SecuritySilo();
        silo.UseKestrel();
        silo.StartServer();
        return silo;
    });

    private SecuritySilo()
        : base(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Ecg:Api:ReadKeys:0"] = ReadKey,
            ["Ecg:Api:MaxStreamsPerClient"] = StreamsPerClient.ToString(),
            ["Ecg:Api:StreamWriteTimeoutSeconds"] = WriteTimeoutSeconds.ToString(),
        })
    {
    }

    public static SecuritySilo Shared => Started.Value;

    /// <summary>What reaches a logger with no rules of its own: the silo's log as an operator sees it.</summary>
    public CapturedLogs OperatorLog { get; } = new();

    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public IPEndPoint Endpoint => new(IPAddress.Loopback, Address.Port);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging =>
        {
            // Information, as a deployed silo logs by default (appsettings.json); Orleans stays at Error.
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddProvider(new OperatorLogs(OperatorLog));
        });
    }

    /// <summary>A client of the Kestrel server, with <paramref name="key"/> in X-Api-Key when given.</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>A provider type of its own, so that only the general logging rules apply to it.</summary>
    private sealed class OperatorLogs(CapturedLogs inner) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
