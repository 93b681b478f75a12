using System.Diagnostics;
using System.Globalization;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Signal.Synthetic;

namespace EcgOrleans.Client.Live;

/// <summary>How a fleet of synthetic monitors streams.</summary>
/// <param name="Speed">Signal seconds per wall-clock second: 1 is real time.</param>
/// <param name="ChunkSeconds">Signal in each chunk; one chunk per monitor is sent every ChunkSeconds / Speed seconds.</param>
internal sealed record FleetOptions(int Monitors, double Speed, int Seed = 1, double ChunkSeconds = 1.0);

/// <summary>Where a fleet stands.</summary>
/// <param name="SignalSeconds">Signal each monitor has made.</param>
/// <param name="Lag">How far sending is behind the schedule (zero when it keeps up).</param>
internal sealed record FleetStatus(TimeSpan Elapsed, double SignalSeconds, long Beats, long Chunks, int Resumes, TimeSpan Lag);

/// <summary>
/// Live synthetic monitors ("monitor-01", ...) of dataset "live" streaming into one run on a fixed schedule: at
/// tick k (every ChunkSeconds / Speed seconds) each monitor makes and delivers chunk k. Monitor i is record i of
/// the synthetic database of the seed, so the fleet mixes patients (normal, ventricular, atrial ectopy, paced).
/// </summary>
internal sealed class MonitorFleet
{
    public const string Dataset = "live";

    private readonly FleetOptions _options;

    public MonitorFleet(IGrainFactory grains, string run, FleetOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Monitors, 1);
        if (!(options.Speed > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.Speed, "speed must be positive");
        _options = options;
        var resilience = ClientResilience.Create();
        Monitors = [.. Enumerable.Range(0, options.Monitors).Select(i =>
        {
            var monitorOptions = SyntheticEcg.RecordOptions(options.Seed, i);
            var feed = new MonitorFeed(RecordName(i), monitorOptions, (int)Math.Round(options.ChunkSeconds * monitorOptions.SamplingFrequency));
            return new LiveMonitor(grains.GetGrain<IRecordGrain>(GrainKeys.Record(run, Dataset, feed.Record)), resilience, run, feed);
        })];
    }

    public IReadOnlyList<LiveMonitor> Monitors { get; }

    /// <summary>"monitor-01", "monitor-02", ... (index from 0).</summary>
    public static string RecordName(int index) => "monitor-" + (index + 1).ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>Streams until <paramref name="duration"/> (wall-clock) has passed or <paramref name="cancellation"/> fires; reports after every tick.</summary>
    public async Task<FleetStatus> RunAsync(TimeSpan? duration, Action<FleetStatus>? onTick, CancellationToken cancellation)
    {
        await Task.WhenAll(Monitors.Select(m => m.StartAsync(cancellation)));
        var period = TimeSpan.FromSeconds(_options.ChunkSeconds / _options.Speed);
        var clock = Stopwatch.StartNew();
        var status = Status(clock.Elapsed, TimeSpan.Zero);
        for (long tick = 0; !cancellation.IsCancellationRequested; tick++)
        {
            var due = period * tick;
            // Stop at the duration in wall-clock time, or once its chunks are sent when the cluster keeps up.
            if (duration is { } limit && (due >= limit || clock.Elapsed >= limit)) break;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellation);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            try
            {
                await Task.WhenAll(Monitors.Select(m => m.StepAsync(cancellation)));
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                break;
            }
            status = Status(clock.Elapsed, clock.Elapsed - due - period);
            onTick?.Invoke(status);
        }
        return Status(clock.Elapsed, status.Lag);
    }

    private FleetStatus Status(TimeSpan elapsed, TimeSpan lag) => new(
        elapsed, Monitors.Max(m => m.SignalSeconds), Monitors.Sum(m => m.Beats), Monitors.Sum(m => m.ChunksSent), Monitors.Sum(m => m.Resumes),
        lag > TimeSpan.Zero ? lag : TimeSpan.Zero);
}
