using System.Diagnostics;
using EcgOrleans.Tests;

namespace EcgOrleans.Cluster.Tests;

/// <summary>
/// A cluster of silo processes driven through deploy/local-cluster.sh, with its own redis-server (AOF on, so a
/// restart keeps the state) on ports no other test uses. Classes that run at once need their own
/// <paramref name="portOffset"/>, Redis port and cluster id.
/// </summary>
public sealed class LocalCluster(int redisPort = 6391, int portOffset = 0, string clusterId = "ecg-fault-test") : IAsyncDisposable
{
    public int RedisPort { get; } = redisPort;
    public int GatewayBase { get; } = 31000 + portOffset;
    public string ClusterId { get; } = clusterId;
    private readonly string _folder = TestData.NewTempDirectory("ecg-cluster");
    private readonly string _script = Path.Combine(TestData.RepositoryRoot, "deploy", "local-cluster.sh");
    private Process? _redis;

    public string Redis => $"127.0.0.1:{RedisPort}";

    public string Gateways(int silos) => string.Join(',', Enumerable.Range(0, silos).Select(i => $"127.0.0.1:{GatewayBase + i}"));

    public async Task StartRedisAsync()
    {
        _redis = Process.Start(new ProcessStartInfo("redis-server",
            $"--bind 127.0.0.1 --port {RedisPort} --dir {_folder} --appendonly yes --appendfsync always --save \"\"")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start (apt-get install -y redis-server)");
        _redis.OutputDataReceived += (_, _) => { };
        _redis.BeginOutputReadLine();
        // A redis-server that exits at once could not take the port: another cluster's answers there, and sharing
        // it (and the silo ports) would mix both clusters' state.
        if (_redis.WaitForExit(TimeSpan.FromSeconds(1)))
            throw new InvalidOperationException($"redis-server exited at once ({_redis.ExitCode}): is another cluster test using port {RedisPort}?");
        await WaitForAsync(() => Run("redis-cli", $"-p {RedisPort} ping").Contains("PONG"), TimeSpan.FromSeconds(20), "redis-server to answer");
    }

    /// <summary>Stops redis-server (it writes its append-only file as it goes) and starts it again on the same folder.</summary>
    public async Task RestartRedisAsync(TimeSpan downtime)
    {
        _redis!.Kill();
        await _redis.WaitForExitAsync();
        await Task.Delay(downtime);
        await StartRedisAsync();
    }

    public string Script(string arguments) => Run("bash", $"{_script} {arguments}", new Dictionary<string, string>
    {
        ["ECG_SILO_DLL"] = TestData.BuiltSilo,
        ["ECG_REDIS"] = Redis,
        ["ECG_CLUSTER_DIR"] = _folder,
        ["ECG_CLUSTER_ID"] = ClusterId,
        ["ECG_SILO_PORT_BASE"] = (21110 + portOffset).ToString(),
        ["ECG_GATEWAY_PORT_BASE"] = GatewayBase.ToString(),
        ["ECG_HTTP_PORT_BASE"] = (18180 + portOffset).ToString(),
    });

    /// <summary>What silo <paramref name="silo"/> has written to its standard output and error so far.</summary>
    public string Log(int silo) => File.ReadAllText(Path.Combine(_folder, $"silo-{silo}.log"));

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
        // ECG_KEEP_CLUSTER=1 keeps the silos' logs and Redis's files for a look after a failure.
        if (Environment.GetEnvironmentVariable("ECG_KEEP_CLUSTER") == "1") Console.Error.WriteLine($"cluster folder kept: {_folder}");
        else Directory.Delete(_folder, recursive: true);
    }

    private static string Run(string file, string arguments, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {error.Result}{output.Result}");
        return output.Result;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (condition()) return;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {timeout} for {what}");
            await Task.Delay(200);
        }
    }
}
