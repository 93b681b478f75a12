using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EcgOrleans.Client.Scaling;

/// <summary>
/// Silo processes on this machine (`ecg silo` with development clustering, in-memory state), started for a
/// scaling run and killed after it. Their CPU time is read from /proc.
/// </summary>
internal sealed class LocalSilos : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly Dictionary<int, (long Local, long Remote, long RemoteBytes)> _messages = [];

    private LocalSilos(string clusterId) => ClusterId = clusterId;

    public string ClusterId { get; }

    public List<int> GatewayPorts { get; } = [];

    public IReadOnlyList<int> ProcessIds => [.. _processes.Select(p => p.Id)];

    public static async Task<LocalSilos> StartAsync(int count, string? models, CancellationToken cancellation)
    {
        var silos = new LocalSilos($"ecg-scale-{Environment.ProcessId}-{count}");
        try
        {
            var siloPorts = Enumerable.Range(0, count).Select(_ => FreePort()).ToList();
            var gatewayPorts = Enumerable.Range(0, count).Select(_ => FreePort()).ToList();
            // The primary first: the others join through it.
            await silos.StartOneAsync(siloPorts[0], gatewayPorts[0], siloPorts[0], models, cancellation);
            await Task.WhenAll(Enumerable.Range(1, count - 1)
                .Select(i => silos.StartOneAsync(siloPorts[i], gatewayPorts[i], siloPorts[0], models, cancellation)));
            return silos;
        }
        catch
        {
            await silos.DisposeAsync();
            throw;
        }
    }

    /// <summary>Messages all silos have sent so far, in all and to other processes (as of their last report, within 250 ms).</summary>
    public (long All, long Remote, long RemoteBytes) Messages()
    {
        lock (_messages)
            return (_messages.Values.Sum(m => m.Local + m.Remote), _messages.Values.Sum(m => m.Remote), _messages.Values.Sum(m => m.RemoteBytes));
    }

    /// <summary>User plus system CPU seconds each silo has used so far.</summary>
    public double[] CpuSeconds() => [.. _processes.Select(p => CpuSecondsOf(p.Id))];

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
    }

    private async Task StartOneAsync(int siloPort, int gatewayPort, int primaryPort, string? models, CancellationToken cancellation)
    {
        var (file, prefix) = SelfCommand();
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in prefix) info.ArgumentList.Add(argument);
        foreach (var argument in new[] { "silo", "--clustering", "development", "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}", "--primary-port", $"{primaryPort}" })
            info.ArgumentList.Add(argument);
        if (models is not null)
        {
            info.ArgumentList.Add("--models");
            info.ArgumentList.Add(models);
        }
        info.Environment["Ecg__ClusterId"] = ClusterId;
        info.Environment["Ecg__Storage"] = "memory";
        info.Environment["MALLOC_ARENA_MAX"] = "2"; // as deploy/Dockerfile: bounds LibTorch's C heap

        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start a silo process");
        lock (_processes) _processes.Add(process);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            if (line.Data.StartsWith("ready", StringComparison.Ordinal)) ready.TrySetResult();
            else if (MessageCounters.Parse(line.Data) is { } counts) lock (_messages) _messages[process.Id] = counts;
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"silo on port {siloPort} exited with {process.ExitCode} before it was ready"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellation);
        lock (GatewayPorts) GatewayPorts.Add(gatewayPort);
    }

    /// <summary>How to start this very program again: the apphost, or dotnet with ecg.dll.</summary>
    private static (string File, string[] Prefix) SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("unknown process path");
        var assembly = typeof(LocalSilos).Assembly.Location;
        return Path.GetFileNameWithoutExtension(path) == "dotnet" ? (path, [assembly]) : (path, []);
    }

    private static double CpuSecondsOf(int pid)
    {
        // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks of 1/100 s; the name (field 2) may hold spaces.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
