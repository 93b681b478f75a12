using System.Diagnostics;
using System.Net;
using System.Text;
using EcgOrleans.Grains.Hosting;
using EcgOrleans.Tests;
using Xunit.Abstractions;

namespace EcgOrleans.Cluster.Tests;

/// <summary>
/// A silo process told to stop (SIGTERM from Kubernetes or a service manager, SIGINT from Ctrl+C) leaves the cluster
/// gracefully and exits 0 within its shutdown bound. Both entry points: the silo host and <c>ecg silo</c>.
/// </summary>
public sealed class SiloShutdownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StopBound = EcgSiloHosting.ShutdownTimeout + TimeSpan.FromSeconds(10);

    public static TheoryData<string, string> HostsAndSignals() => new()
    {
        { "silo", "TERM" },
        { "silo", "INT" },
        { "ecg silo", "TERM" },
        { "ecg silo", "INT" },
    };

    [Theory]
    [MemberData(nameof(HostsAndSignals))]
    public async Task A_stop_signal_makes_the_silo_leave_and_exit_0(string host, string signal)
    {
        var (siloPort, gatewayPort, httpPort) = (Ports.Free(), Ports.Free(), Ports.Free());
        var info = host == "silo"
            ? new ProcessStartInfo("dotnet", [TestData.BuiltSilo])
            : new ProcessStartInfo("dotnet", [TestData.BuiltOutput("client/EcgOrleans.Client", "ecg.dll"), "silo",
                "--silo-port", siloPort.ToString(), "--gateway-port", gatewayPort.ToString()]);
        info.Environment["Ecg__SiloPort"] = siloPort.ToString();
        info.Environment["Ecg__GatewayPort"] = gatewayPort.ToString();
        info.Environment["Urls"] = $"http://127.0.0.1:{httpPort}";
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        var log = new StringBuilder();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitForReadyAsync(host, httpPort, log, process, TimeSpan.FromSeconds(120));

            var clock = Stopwatch.StartNew();
            var exited = await StopSignal.SendAndWaitAsync(process, signal, StopBound);
            output.WriteLine($"{host}, SIG{signal}: exited {exited} after {clock.Elapsed.TotalSeconds:0.0} s\n{log}");

            Assert.True(exited, $"{host} still runs {StopBound.TotalSeconds} s after SIG{signal}");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Waits until the silo has started: its bundled models registered, what "ready" and /health/ready report.</summary>
    private static async Task WaitForReadyAsync(string host, int httpPort, StringBuilder log, Process process, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"the silo exited with {process.ExitCode} before it was ready:\n{log}");
            if (host == "silo")
            {
                try
                {
                    if ((await http.GetAsync($"http://127.0.0.1:{httpPort}/health/ready")).IsSuccessStatusCode) return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
            }
            else
            {
                lock (log)
                {
                    if (log.ToString().Contains("ready: ")) return;
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the silo was not ready within {timeout}:\n{log}");
    }
}
