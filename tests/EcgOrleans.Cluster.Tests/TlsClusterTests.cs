using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Tests;

namespace EcgOrleans.Cluster.Tests;

/// <summary>
/// Tests that run clusters of several silo processes, one class at a time and alone: on a 2-core machine two such
/// clusters at once (or one and a starting silo) measure contention, not behaviour.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterPortsCollection
{
    public const string Name = "cluster ports";
}

/// <summary>
/// Silos started by deploy/local-cluster.sh with a redis-server of their own, on ports no other test uses; with
/// <c>ECG_TLS=1</c> the script makes development certificates in the cluster folder's tls/.
/// </summary>
internal sealed class ScriptedCluster(string clusterId, int redisPort, int portOffset, bool tls) : IAsyncDisposable
{
    private readonly string _folder = TestData.NewTempDirectory("ecg-" + clusterId);
    private Process? _redis;

    public int SiloPort(int silo) => 22110 + portOffset + silo;

    public int GatewayPort(int silo) => 32100 + portOffset + silo - 1;

    public string Gateways(int silos) => string.Join(',', Enumerable.Range(1, silos).Select(i => $"127.0.0.1:{GatewayPort(i)}"));

    public string Certificates => Path.Combine(_folder, "tls");

    public string Log(int silo) => File.ReadAllText(Path.Combine(_folder, $"silo-{silo}.log"));

    public async Task UpAsync(int silos)
    {
        _redis = Process.Start(new ProcessStartInfo("redis-server", $"--bind 127.0.0.1 --port {redisPort} --dir {_folder} --save \"\"")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start (apt-get install -y redis-server)");
        _redis.OutputDataReceived += (_, _) => { };
        _redis.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Run("redis-cli", $"-p {redisPort} ping", check: false).Contains("PONG"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("redis-server did not answer");
            await Task.Delay(200);
        }
        Script($"up {silos}");
    }

    public ClusterSettings Client(string? certificate = null, string? key = null, string? ca = null) => new()
    {
        Gateway = Gateways(1),
        ClusterId = clusterId,
        TlsCertificate = certificate,
        TlsKey = key,
        TlsCa = ca,
    };

    public string Script(string arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["ECG_SILO_DLL"] = TestData.BuiltSilo,
            ["ECG_REDIS"] = $"127.0.0.1:{redisPort}",
            ["ECG_CLUSTER_DIR"] = _folder,
            ["ECG_CLUSTER_ID"] = clusterId,
            ["ECG_SILO_PORT_BASE"] = (22110 + portOffset).ToString(CultureInfo.InvariantCulture),
            ["ECG_GATEWAY_PORT_BASE"] = (32100 + portOffset).ToString(CultureInfo.InvariantCulture),
            ["ECG_HTTP_PORT_BASE"] = (18380 + portOffset).ToString(CultureInfo.InvariantCulture),
            ["ECG_TLS"] = tls ? "1" : "0",
        };
        return Run("bash", $"{Path.Combine(TestData.RepositoryRoot, "deploy", "local-cluster.sh")} {arguments}", check: true, environment);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Script("down");
        }
        catch (InvalidOperationException)
        {
        }
        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            await _redis.WaitForExitAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    private static string Run(string file, string arguments, bool check, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {error.Result}{output.Result}");
        return output.Result;
    }
}

/// <summary>Which addresses a port is listened on, from the kernel's socket tables (/proc/net/tcp and tcp6).</summary>
public static class Listeners
{
    public static IReadOnlyList<IPAddress> Of(int port) =>
    [
        .. Read("/proc/net/tcp", port, hex => new IPAddress(Convert.ToUInt32(hex, 16))),
        .. Read("/proc/net/tcp6", port, hex => new IPAddress(Enumerable.Range(0, 4)
            .SelectMany(i => BitConverter.GetBytes(Convert.ToUInt32(hex.Substring(i * 8, 8), 16))).ToArray())),
    ];

    private static IEnumerable<IPAddress> Read(string table, int port, Func<string, IPAddress> address) =>
        File.ReadLines(table).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[3] == "0A" && Convert.ToInt32(f[1].Split(':')[1], 16) == port) // 0A: LISTEN
            .Select(f => address(f[1].Split(':')[0]));
}

/// <summary>Three silos with mutual TLS (ECG_TLS=1), shared by the tests of one class.</summary>
public sealed class TlsCluster : IAsyncLifetime
{
    internal ScriptedCluster Cluster { get; } = new("ecg-tls-test", redisPort: 6393, portOffset: 0, tls: true);

    public Task InitializeAsync() => Cluster.UpAsync(3);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Issue 18: nothing reaches the grains through the gateway without a certificate of the cluster's CA.</summary>
[Collection(ClusterPortsCollection.Name)]
public sealed class TlsClusterTests(TlsCluster fixture) : IClassFixture<TlsCluster>
{
    private readonly ScriptedCluster _cluster = fixture.Cluster;

    private string Tls(string file) => Path.Combine(_cluster.Certificates, file);

    [Fact]
    public async Task Only_a_client_with_a_certificate_of_the_cluster_CA_calls_grains()
    {
        // A client with the development client certificate reaches the grains, and sees all three silos active:
        // they joined each other over their own mutual-TLS links.
        await using (var session = await ClusterSession.StartAsync(_cluster.Client(Tls("client.pem"), Tls("client.key"), Tls("ca.pem")), CancellationToken.None))
        {
            var hosts = await session.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            Assert.Equal(3, hosts.Count);
            Assert.NotNull(await session.Grains.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry).List());
        }

        await AssertRefused(_cluster.Client(), "no certificate");

        var rogue = RogueCertificate(_cluster.Certificates);
        await AssertRefused(_cluster.Client(rogue.Certificate, rogue.Key, Tls("ca.pem")), "a certificate of another CA");

        // A client that trusts another CA refuses the silos in turn.
        await AssertRefused(_cluster.Client(Tls("client.pem"), Tls("client.key"), rogue.Ca), "a client trusting another CA");
    }

    [Fact]
    public async Task A_client_certificate_opens_the_gateway_but_not_the_silo_port()
    {
        using var client = X509Certificate2.CreateFromPemFile(Tls("client.pem"), Tls("client.key"));
        using var silo = X509Certificate2.CreateFromPemFile(Tls("silo.pem"), Tls("silo.key"));
        Assert.True(await StaysOpen(_cluster.GatewayPort(1), client), "the gateway closed on a client certificate");
        Assert.True(await StaysOpen(_cluster.SiloPort(1), silo), "the silo port closed on a silo certificate");
        Assert.False(await StaysOpen(_cluster.SiloPort(1), client), "the silo port accepted a client certificate");
    }

    [Fact]
    public void With_TLS_the_cluster_ports_are_open_to_other_hosts()
    {
        Assert.Contains(IPAddress.Any, Listeners.Of(_cluster.SiloPort(1)));
        Assert.Contains(IPAddress.Any, Listeners.Of(_cluster.GatewayPort(1)));
        Assert.DoesNotContain("No TLS configured", _cluster.Log(1));
    }

    private static async Task AssertRefused(ClusterSettings settings, string what)
    {
        // A client with the right certificate connects within seconds; one refused retries until this bound.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var called = false;
        try
        {
            await using var session = await ClusterSession.StartAsync(settings, timeout.Token);
            await session.Grains.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry).List().WaitAsync(TimeSpan.FromSeconds(20));
            called = true;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            // refused: the connection or the call failed
        }
        Assert.False(called, $"a client with {what} called a grain");
    }

    /// <summary>
    /// Whether a TLS connection presenting <paramref name="certificate"/> is still open a few seconds after the handshake
    /// (Orleans then waits for the peer's preamble); a refused certificate ends it at once.
    /// </summary>
    private static async Task<bool> StaysOpen(int port, X509Certificate2 certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = [certificate],
            });
            var buffer = new byte[1024];
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(4));
            while (await tls.ReadAsync(buffer, wait.Token) > 0)
            {
            }
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    /// <summary>A self-signed CA of its own and a client certificate it signed, as PEM files beside the real ones.</summary>
    private static (string Certificate, string Key, string Ca) RogueCertificate(string folder)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=rogue CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ecg-client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3, 4]);

        var paths = (Path.Combine(folder, "rogue.pem"), Path.Combine(folder, "rogue.key"), Path.Combine(folder, "rogue-ca.pem"));
        File.WriteAllText(paths.Item1, certificate.ExportCertificatePem());
        File.WriteAllText(paths.Item2, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(paths.Item3, ca.ExportCertificatePem());
        return paths;
    }
}

/// <summary>Without TLS, Redis clustering (which listened on every interface) keeps the cluster ports on 127.0.0.1.</summary>
[Collection(ClusterPortsCollection.Name)]
public sealed class LoopbackClusterTests
{
    [Fact]
    public async Task A_silo_without_TLS_listens_on_127_0_0_1_only_and_says_so()
    {
        await using var cluster = new ScriptedCluster("ecg-loopback-test", redisPort: 6394, portOffset: 50, tls: false);
        await cluster.UpAsync(1);

        foreach (var port in new[] { cluster.SiloPort(1), cluster.GatewayPort(1) })
        {
            var addresses = Listeners.Of(port);
            Assert.NotEmpty(addresses);
            Assert.All(addresses, a => Assert.True(IPAddress.IsLoopback(a), $"port {port} listens on {a}"));
        }
        var warning = cluster.Log(1).Split('\n').SingleOrDefault(l => l.Contains("No TLS configured", StringComparison.Ordinal));
        Assert.NotNull(warning);
        Assert.Contains($"silo port {cluster.SiloPort(1)} and gateway port {cluster.GatewayPort(1)} listen on 127.0.0.1 only", warning);

        // The silo is usable from this host as before.
        await using var session = await ClusterSession.StartAsync(cluster.Client(), CancellationToken.None);
        Assert.NotNull(await session.Grains.GetGrain<IRunCatalogGrain>(GrainKeys.RunCatalog).List());
    }
}
