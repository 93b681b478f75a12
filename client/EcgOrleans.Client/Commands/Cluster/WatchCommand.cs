using System.Globalization;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;

namespace EcgOrleans.Client.Commands.Cluster;

/// <summary>
/// <c>ecg watch</c>: a live view of a run's class maps (two runs side by side with --compare). The class-map grains
/// push new views to this client as beats are merged; the run is re-read every refresh for new maps and totals.
/// </summary>
internal sealed class WatchCommand : AsyncCommand<WatchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, WatchSettings settings, CancellationToken cancellation)
    {
        await using var session = await ClusterSession.StartAsync(settings, cancellation);
        IReadOnlyList<string> runs = settings.Compare is { } other ? [settings.Run!, other] : [settings.Run!];
        await using var subscriptions = new ClassMapSubscriptions(session.Grains, runs, settings.Selection);
        await subscriptions.RefreshAsync(cancellation);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (settings.Seconds is { } s) stop.CancelAfter(TimeSpan.FromSeconds(s));
        var rate = new BeatRate();
        async Task<bool> NextAsync()
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.Refresh), stop.Token);
                await subscriptions.RefreshAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e) when (ClientResilience.IsTransient(e))
            {
                // The cluster is unreachable for now: keep showing the last maps and try again.
            }
            return true;
        }

        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Redirected output cannot redraw in place: print a dated view at each refresh instead.
            do
            {
                AnsiConsole.Write(View(subscriptions, settings, rate));
                AnsiConsole.WriteLine();
            }
            while (await NextAsync());
        }
        else
        {
            await AnsiConsole.Live(View(subscriptions, settings, rate)).AutoClear(false).StartAsync(async live =>
            {
                while (await NextAsync()) live.UpdateTarget(View(subscriptions, settings, rate));
            });
        }
        AnsiConsole.MarkupLineInterpolated($"[grey]{subscriptions.Watcher.Pushes} map updates pushed by the cluster[/]");
        return 0;
    }

    private static IRenderable View(ClassMapSubscriptions subscriptions, WatchSettings settings, BeatRate rate)
    {
        var first = subscriptions.Current(settings.Run!)!;
        var second = settings.Compare is { } other ? subscriptions.Current(other) : null;
        var beatsPerSecond = rate.Update(first.Beats + (second?.Beats ?? 0));
        var header = new Markup(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{DateTime.Now:HH:mm:ss}[/]  {first.Beats + (second?.Beats ?? 0):#,0} beats  [grey]{beatsPerSecond:0} beats/s · {subscriptions.Watcher.Pushes} pushes · Ctrl+C stops[/]"));
        var table = second is null ? MapTables.Single(first, settings.SparklineWidth(false), MapTables.ConsoleHasColour) : MapTables.Compare(first, second, settings.SparklineWidth(true), MapTables.ConsoleHasColour);
        return new Rows(header, table);
    }

    /// <summary>Beats per second between two readings.</summary>
    private sealed class BeatRate
    {
        private long _beats = -1;
        private DateTimeOffset _at;
        private double _rate;

        public double Update(long beats)
        {
            var now = DateTimeOffset.UtcNow;
            if (_beats >= 0 && now > _at) _rate = (beats - _beats) / (now - _at).TotalSeconds;
            (_beats, _at) = (beats, now);
            return _rate;
        }
    }
}
