using System.Diagnostics;
using System.Text;
using EcgOrleans.Client;
using EcgOrleans.Tests;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary>
/// <c>ecg ingest</c> told to stop mid-run, by Ctrl+C (SIGINT) or by a service manager or <c>kill</c> (SIGTERM), stops
/// cleanly and says so; it does not go on streaming. The program itself runs, as a user runs it, against the fixture's silo.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class StopSignalTests(SiloFixture silo)
{
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Ingest_stops_on_a_stop_signal_and_reports_it_was_interrupted(string signal)
    {
        var info = new ProcessStartInfo("dotnet",
        [
            TestData.BuiltOutput("client/EcgOrleans.Client", "ecg.dll"), "ingest", "--gateway", silo.Gateway,
            "--run", $"stop-{signal.ToLowerInvariant()}-{Guid.NewGuid():N}"[..24], "--synthetic", "--records-count", "8", "--seconds", "3600",
            "--chunk-seconds", "2", "--parallel", "2",
        ]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var log = new StringBuilder();
        var streaming = new TaskCompletionSource();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) =>
        {
            lock (log) log.AppendLine(e.Data);
            if (e.Data?.Contains("beats") == true) streaming.TrySetResult(); // a progress line: chunks are being scored
        };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await streaming.Task.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.False(process.HasExited, $"eight records of an hour each, in chunks of 2 s, cannot be done yet:\n{log}");

            var exited = await StopSignal.SendAndWaitAsync(process, signal, StopBound);

            Assert.True(exited, $"ecg ingest still runs {StopBound.TotalSeconds} s after SIG{signal}:\n{log}");
            Assert.Equal(EcgApp.Interrupted, process.ExitCode);
            Assert.Contains("interrupted", log.ToString());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
