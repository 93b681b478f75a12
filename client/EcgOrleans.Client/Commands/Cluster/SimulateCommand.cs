using System.Diagnostics;
using System.Globalization;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Live;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary><c>ecg simulate</c>: live synthetic monitors streaming into a run, until Ctrl+C or --seconds.</summary>
internal sealed class SimulateCommand : AsyncCommand<SimulateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SimulateSettings settings, CancellationToken cancellation)
    {
        await using var session = await ClusterSession.StartAsync(settings, cancellation);
        var config = await session.Grains.GetGrain<IRunGrain>(settings.Run!).Configure(settings.RunRequest());
        AnsiConsole.MarkupLineInterpolated(
            $"run [bold]{config.Name}[/]: model {config.ModelVersion}, {config.Method} saliency of the {config.Target} class; {settings.Monitors} monitors at {settings.Speed:0.##}× real time");
        AnsiConsole.MarkupLine(settings.Finish
            ? "[grey]Ctrl+C stops and ends every monitor's record (--finish).[/]"
            : "[grey]Ctrl+C stops; run it again to carry on where the monitors left off.[/]");

        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var fleet = new MonitorFleet(session.Grains, config.Name, settings.Fleet(), settings.Patients());
        var duration = settings.Seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
        FleetStatus final;
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            final = await AnsiConsole.Live(View(fleet, null)).AutoClear(false).StartAsync(async live =>
            {
                var shown = TimeSpan.Zero;
                var result = await fleet.RunAsync(duration, status =>
                {
                    if (status.Elapsed - shown < TimeSpan.FromMilliseconds(500)) return;
                    shown = status.Elapsed;
                    live.UpdateTarget(View(fleet, status));
                }, cancellation);
                live.UpdateTarget(View(fleet, result));
                return result;
            });
        }
        else
        {
            var printed = TimeSpan.Zero;
            final = await fleet.RunAsync(duration, status =>
            {
                if (status.Elapsed - printed < TimeSpan.FromSeconds(5)) return;
                printed = status.Elapsed;
                AnsiConsole.WriteLine(Line(status));
            }, cancellation);
        }
        AnsiConsole.MarkupLineInterpolated($"[bold]{Line(final)}[/]");
        if (settings.Finish)
        {
            // After Ctrl+C too: the first one stopped the stream, a second one ends the process.
            AnsiConsole.MarkupLine("[grey]ending every monitor's record (a second Ctrl+C abandons it)[/]");
            var finished = await fleet.FinishAsync(CancellationToken.None);
            AnsiConsole.MarkupLineInterpolated(
                $"[bold]{fleet.Monitors.Count(m => m.Done):#,0} records done, {finished.Beats:#,0} beats scored[/]");
        }
        AnsiConsole.WriteLine(ClientCpu(Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart, final, settings.InProcess));
        return 0;
    }

    /// <summary>The client's own CPU, apart from the silo's unless the silo runs in this process.</summary>
    private static string ClientCpu(TimeSpan cpu, FleetStatus s, bool inProcess) => string.Create(CultureInfo.InvariantCulture,
        $"{(inProcess ? "client and in-process silo" : "client")} CPU {cpu.TotalSeconds:0.0} s ({cpu.TotalSeconds / Math.Max(s.Elapsed.TotalSeconds, 1e-9):0.00} cores busy, {cpu.TotalMilliseconds / Math.Max(s.Beats, 1):0.000} ms per beat)");

    private static string Line(FleetStatus s)
    {
        var behind = string.Create(CultureInfo.InvariantCulture, $", lag {s.Lag.TotalSeconds:0.0} s");
        return string.Create(CultureInfo.InvariantCulture,
            $"{s.Elapsed.TotalSeconds:0.0} s: {s.SignalSeconds:0} s of signal per monitor, {s.Beats:#,0} beats scored ({s.Beats / Math.Max(s.Elapsed.TotalSeconds, 1e-9):0} beats/s), {s.Chunks:#,0} chunks, {s.Resumes} resumes{behind}");
    }

    private const int ShownMonitors = 20;

    private static IRenderable View(MonitorFleet fleet, FleetStatus? status)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("monitor", "signal", "beats", "chunks", "pending", "resumes");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var m in fleet.Monitors.Take(ShownMonitors))
        {
            table.AddRow(m.Record, m.SignalSeconds.ToString("0 s", CultureInfo.InvariantCulture), m.Beats.ToString("#,0", CultureInfo.InvariantCulture),
                m.ChunksSent.ToString("#,0", CultureInfo.InvariantCulture), m.Pending.ToString(CultureInfo.InvariantCulture), m.Resumes.ToString(CultureInfo.InvariantCulture));
        }
        var more = fleet.Monitors.Count > ShownMonitors ? new Markup($"[grey]and {fleet.Monitors.Count - ShownMonitors:#,0} more monitors[/]") : (IRenderable)Text.Empty;
        return new Rows(new Markup(status is null ? "[grey]starting[/]" : Markup.Escape(Line(status))), table, more);
    }
}
