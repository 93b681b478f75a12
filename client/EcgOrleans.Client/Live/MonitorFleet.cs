using System.Diagnostics;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;

namespace EcgOrleans.Client.Live;

/// <summary>How a fleet of monitors streams.</summary>
/// <param name="Speed">Signal seconds per wall-clock second: 1 is real time.</param>
/// <param name="ChunkSeconds">Signal in each chunk; each monitor's chunk is due every ChunkSeconds / Speed seconds.</param>
/// <param name="MaxInFlight">Chunk deliveries (grain calls) the fleet keeps going at once.</param>
internal sealed record FleetOptions(int Monitors, double Speed, int Seed = 1, double ChunkSeconds = 1.0, int MaxInFlight = FleetOptions.DefaultMaxInFlight)
{
    public const int DefaultMaxInFlight = 2000;
}

/// <summary>Where a fleet stands.</summary>
/// <param name="SignalSeconds">Signal the furthest monitor has made.</param>
/// <param name="Beats">Beats the monitors' grains have scored (from their last acknowledgements).</param>
/// <param name="Lag">How long the oldest chunk that is due has waited for its acknowledgement (zero when none waits).</param>
/// <param name="Drain">Time after the schedule's end spent waiting for the deliveries under way (part of Elapsed).</param>
internal sealed record FleetStatus(TimeSpan Elapsed, double SignalSeconds, long Beats, long Chunks, int Resumes, TimeSpan Lag, TimeSpan Drain = default);

/// <summary>
/// Live monitors ("monitor-000001", ...) of dataset "live" streaming into one run on a fixed schedule. Each monitor
/// replays a patient of a <see cref="PatientPool"/> (by default the synthetic database of the seed, so the fleet
/// mixes normal, ventricular, atrial-ectopy and paced patients). One tick loop drives them all: the monitors are
/// spread over the period in slices, a tick makes the chunks of one slice due, and a monitor whose last delivery is
/// still going catches up with every chunk due once it ends. At most MaxInFlight deliveries run at once.
/// </summary>
internal sealed class MonitorFleet
{
    public const string Dataset = "live";

    // Ticks about this far apart spread a period's sends instead of sending every monitor's chunk at once.
    private static readonly TimeSpan TickTarget = TimeSpan.FromMilliseconds(50);

    private readonly FleetOptions _options;
    private readonly Member[] _members;
    private readonly SemaphoreSlim _inFlight;
    private bool _started;
    private TimeSpan _tickLength;
    private Stopwatch? _clock;

    public MonitorFleet(IGrainFactory grains, string run, FleetOptions options, PatientPool? patients = null, Action<ChunkAcknowledged>? acknowledged = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Monitors, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Monitors, MonitorNames.MaxMonitors);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxInFlight, 1);
        if (!(options.Speed > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.Speed, "speed must be positive");
        _options = options;
        _inFlight = new SemaphoreSlim(options.MaxInFlight);
        patients ??= PatientPool.Synthetic(options.Seed, Math.Min(options.Monitors, PatientPool.DefaultPatients));
        var resilience = ClientResilience.Create();
        Period = TimeSpan.FromSeconds(options.ChunkSeconds / options.Speed);
        Slices = (int)Math.Clamp(Math.Round(Period / TickTarget), 1, options.Monitors);
        _members = [.. Enumerable.Range(0, options.Monitors).Select(i =>
        {
            var (patient, offset) = patients.Assign(i);
            var feed = new MonitorFeed(MonitorNames.RecordName(i), patient, offset, (int)Math.Round(options.ChunkSeconds * patient.SamplingFrequency));
            var grain = grains.GetGrain<IRecordGrain>(GrainKeys.Record(run, Dataset, feed.Record));
            return new Member(new LiveMonitor(grain, resilience, run, feed, acknowledged), i % Slices);
        })];
        Monitors = [.. _members.Select(m => m.Monitor)];
    }

    public IReadOnlyList<LiveMonitor> Monitors { get; }

    /// <summary>Time between two chunks of one monitor.</summary>
    public TimeSpan Period { get; }

    /// <summary>Groups of monitors whose chunks fall due together, one group per tick.</summary>
    public int Slices { get; }

    /// <summary>Streams until <paramref name="duration"/> (wall-clock) has passed or <paramref name="cancellation"/> fires; reports after every tick.</summary>
    public async Task<FleetStatus> RunAsync(TimeSpan? duration, Action<FleetStatus>? onTick, CancellationToken cancellation)
    {
        await Task.WhenAll(_members.Select(m => Bounded(() => m.Monitor.StartAsync(cancellation), cancellation)));
        foreach (var m in _members) m.First = m.Monitor.Made;
        _started = true;
        var tickLength = Period / Slices;
        var clock = Stopwatch.StartNew();
        _tickLength = tickLength;
        _clock = clock;
        try
        {
            for (long tick = 0; !cancellation.IsCancellationRequested; tick++)
            {
                var due = tickLength * tick;
                // Stop at the duration in wall-clock time, or once its chunks are due when the cluster keeps up.
                if (duration is { } limit && (due >= limit || clock.Elapsed >= limit)) break;
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellation);
                var slice = (int)(tick % Slices);
                var round = tick / Slices;
                for (var i = slice; i < _members.Length; i += Slices) Release(_members[i], round, cancellation);
                onTick?.Invoke(Status(clock.Elapsed, tickLength));
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        // The lag is the schedule's at its end; then let the deliveries under way end, so that the status counts
        // what the grains acknowledged.
        var end = Status(clock.Elapsed, tickLength);
        try
        {
            await Task.WhenAll(_members.Select(m => m.Pump ?? Task.CompletedTask));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        return Status(clock.Elapsed, tickLength) with { Lag = end.Lag, Drain = clock.Elapsed - end.Elapsed };
    }

    /// <summary>
    /// Ends every monitor's record once <see cref="RunAsync"/> has returned: each monitor makes the chunks that fell
    /// due, delivers what is pending and then its last chunk (<see cref="LiveMonitor.FinishAsync"/>), at most
    /// MaxInFlight monitors at once. Afterwards every record is done in the run and no monitor streams any more.
    /// </summary>
    public async Task<FleetStatus> FinishAsync(CancellationToken cancellation)
    {
        if (!_started) throw new InvalidOperationException("the fleet has not streamed yet: run it before finishing it");
        await Task.WhenAll(_members.Select(async m =>
        {
            if (m.Pump is { } pump)
            {
                try
                {
                    await pump;
                }
                catch (OperationCanceledException) when (pump.IsCanceled)
                {
                    // The run was stopped mid-delivery: the finish resumes from where the grain stands.
                }
            }
            await Bounded(async () =>
            {
                await m.Monitor.CatchUpAsync(Interlocked.Read(ref m.Due), cancellation);
                await m.Monitor.FinishAsync(cancellation);
            }, cancellation);
        }));
        return Status(_clock!.Elapsed, _tickLength) with { Lag = TimeSpan.Zero };
    }

    /// <summary>Makes chunks up to round <paramref name="round"/> due for a member, and starts its delivery unless one is going.</summary>
    private void Release(Member member, long round, CancellationToken cancellation)
    {
        Interlocked.Exchange(ref member.Due, member.First + round + 1);
        if (member.Pump is { IsCompleted: false }) return;
        if (member.Pump is { IsFaulted: true } failed) failed.GetAwaiter().GetResult(); // a monitor that gave up stops the fleet
        member.Pump = PumpAsync(member, cancellation);
    }

    private async Task PumpAsync(Member member, CancellationToken cancellation)
    {
        long due;
        while (member.Monitor.Delivered < (due = Interlocked.Read(ref member.Due)))
            await Bounded(() => member.Monitor.CatchUpAsync(due, cancellation), cancellation);
    }

    private async Task Bounded(Func<Task> call, CancellationToken cancellation)
    {
        await _inFlight.WaitAsync(cancellation);
        try
        {
            await call();
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private FleetStatus Status(TimeSpan elapsed, TimeSpan tickLength)
    {
        double signal = 0;
        long beats = 0, chunks = 0;
        var resumes = 0;
        var oldestDue = TimeSpan.MaxValue;
        foreach (var m in _members)
        {
            signal = Math.Max(signal, m.Monitor.SignalSeconds);
            beats += m.Monitor.Beats;
            chunks += m.Monitor.ChunksSent;
            resumes += m.Monitor.Resumes;
            var waiting = m.Monitor.Delivered;
            if (waiting < Interlocked.Read(ref m.Due))
            {
                // Chunk `waiting` fell due at its round's tick for this member's slice (chunks before the session at its start).
                var round = Math.Max(0, waiting - m.First);
                var dueAt = tickLength * (round * Slices + m.Slice);
                if (dueAt < oldestDue) oldestDue = dueAt;
            }
        }
        var lag = oldestDue == TimeSpan.MaxValue ? TimeSpan.Zero : elapsed - oldestDue;
        return new FleetStatus(elapsed, signal, beats, chunks, resumes, lag > TimeSpan.Zero ? lag : TimeSpan.Zero);
    }

    /// <summary>A monitor with its place in the schedule and its delivery under way.</summary>
    private sealed class Member(LiveMonitor monitor, int slice)
    {
        public LiveMonitor Monitor { get; } = monitor;

        public int Slice { get; } = slice;

        /// <summary>Chunks made before this session: the schedule's round 0 is chunk First.</summary>
        public long First;

        /// <summary>Chunks that are due (a count: chunks below it should have been made).</summary>
        public long Due;

        public Task? Pump;
    }
}
