using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Client.Live;
using EcgOrleans.Signal.Sources;

// One live measurement against a silo process that bench/live.sh started: N monitors at real time for S seconds,
// then the replay pipeline (`ecg ingest` of a database) into the same silo, so that the two CPU costs per beat are
// measured side by side. Usage:
//   dotnet bench/EcgOrleans.Bench.Live/bin/Release/net10.0/linux-x64/EcgOrleans.Bench.Live.dll --gateway H:P --http URL
//       --silo-pid PID --monitors N [--seconds 60] [--data MITDB_DIR] [--replay-records 24] [--max-in-flight N]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var options = Options.Parse(args);
var silo = new SiloProcess(options.SiloPid);
var tag = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

await using var session = await ClusterSession.StartAsync(new ClusterSettings { Gateway = options.Gateway }, CancellationToken.None);
using var http = new HttpClient { BaseAddress = new Uri(options.Http), Timeout = TimeSpan.FromSeconds(30) };

// A fresh silo compiles its code on the first beats: warm it up so that neither phase pays for that.
await Ingest($"warm-{tag}", new SyntheticSource(seed: 7, records: 4, seconds: 60));

// What the silo spends with nothing to do (timers, metrics, the dashboard): part of each figure below, large at low rates.
var idleStart = silo.Cpu();
await Task.Delay(TimeSpan.FromSeconds(10));
var idleCores = (silo.Cpu() - idleStart).TotalSeconds / 10;

// Live phase.
var run = $"live-{options.Monitors}-{tag}";
await session.Grains.GetGrain<IRunGrain>(run).Configure(new RunRequest("kachuee-window-ds1", "vanilla"));
var patients = PatientPool.Synthetic(seed: 1, Math.Min(options.Monitors, PatientPool.DefaultPatients));
var acknowledged = new ConcurrentQueue<ChunkAcknowledged>();
var fleet = new MonitorFleet(session.Grains, run, new FleetOptions(options.Monitors, Speed: 1, MaxInFlight: options.MaxInFlight), patients, acknowledged.Enqueue);
var offered = Enumerable.Range(0, options.Monitors).Sum(i => patients.Assign(i).Patient.BeatsPerSecond);
var probe = new MapProbe(http, run);
using var stopProbe = new CancellationTokenSource();
var probing = Task.Run(() => probe.RunAsync(stopProbe.Token));
var siloCpu = silo.Cpu();
var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
var lags = new List<(double Seconds, double Lag)>();
// A silo that falls behind would take minutes to drain what is under way: give up on that after a grace period.
using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds + 30));
var status = await fleet.RunAsync(TimeSpan.FromSeconds(options.Seconds), s =>
{
    if (lags.Count == 0 || s.Elapsed.TotalSeconds - lags[^1].Seconds >= 10) lags.Add((s.Elapsed.TotalSeconds, s.Lag.TotalSeconds));
}, giveUp.Token);
var liveSiloCpu = silo.Cpu() - siloCpu;
var liveClientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpu;
// Let the reader see the last acknowledged beats, then stop it.
var settle = Stopwatch.StartNew();
while (probe.LastCount < status.Beats && settle.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(100);
await stopProbe.CancelAsync();
await probing;
var (latencies, unseen) = BeatToMap.Latencies(acknowledged.Select(a => (a.SentTimestamp, a.Beats)), [.. probe.Counts]);
var latencyMs = latencies.Select(t => t * 1000.0 / Stopwatch.Frequency).ToList();
var mapQueries = probe.MapQueryMs.ToList();
var listQueries = probe.ListQueryMs.ToList();
var liveRss = silo.StatusMiB("VmHWM");

// Replay phase: the same silo, warm, one database through `ecg ingest`'s pipeline.
var replaySource = options.Data is { } data ? (IRecordSource)new WfdbDirectorySource(data) : new SyntheticSource(seed: 3, records: options.ReplayRecords, seconds: 300);
var replayCpu = silo.Cpu();
var replay = await Ingest($"replay-{tag}", replaySource);
var replaySiloCpu = silo.Cpu() - replayCpu;

var liveMsPerBeat = liveSiloCpu.TotalMilliseconds / Math.Max(status.Beats, 1);
var replayMsPerBeat = replaySiloCpu.TotalMilliseconds / Math.Max(replay.Beats, 1);
Console.WriteLine($"monitors {options.Monitors}, {status.Elapsed.TotalSeconds - status.Drain.TotalSeconds:F0} s at real time (run {run}; {fleet.Slices} slices of {fleet.Period.TotalMilliseconds / fleet.Slices:F0} ms)");
Console.WriteLine($"  beats/s offered {offered:F0}, scored {status.Beats / status.Elapsed.TotalSeconds:F0}; chunks {status.Chunks:N0}, resumes {status.Resumes}");
Console.WriteLine($"  lag every 10 s: {string.Join(", ", lags.Select(l => $"{l.Lag:F1}"))} s; at the end {status.Lag.TotalSeconds:F1} s; "
    + $"deliveries under way at the end took {status.Drain.TotalSeconds:F1} s more");
Console.WriteLine($"  silo CPU {liveSiloCpu.TotalSeconds:F1} s ({liveSiloCpu.TotalSeconds / status.Elapsed.TotalSeconds:F2} cores), {liveMsPerBeat:F3} ms per beat; "
    + $"client CPU {liveClientCpu.TotalSeconds:F1} s ({liveClientCpu.TotalSeconds / status.Elapsed.TotalSeconds:F2} cores, with the map reader), {liveClientCpu.TotalMilliseconds / Math.Max(status.Beats, 1):F3} ms per beat");
Console.WriteLine($"  silo idle {idleCores:F3} cores; without it {(liveSiloCpu.TotalSeconds - idleCores * status.Elapsed.TotalSeconds) * 1000 / Math.Max(status.Beats, 1):F3} ms per beat live, "
    + $"{(replaySiloCpu.TotalSeconds - idleCores * replay.Elapsed.TotalSeconds) * 1000 / Math.Max(replay.Beats, 1):F3} ms per beat replayed");
Console.WriteLine($"  replay pipeline, same silo: {replay.Beats:N0} beats of {replaySource.Records.Count} {replaySource.Dataset} records in {replay.Elapsed.TotalSeconds:F1} s, "
    + $"silo CPU {replaySiloCpu.TotalSeconds:F1} s, {replayMsPerBeat:F3} ms per beat; live / replay {liveMsPerBeat / replayMsPerBeat:F2}x");
Console.WriteLine($"  beat-to-map latency p50 {BeatToMap.Percentile(latencyMs, 50):F0} ms, p99 {BeatToMap.Percentile(latencyMs, 99):F0} ms ({latencyMs.Count:N0} chunks, {unseen} not seen)");
Console.WriteLine($"  class-map query GET maps/predicted/C p50 {BeatToMap.Percentile(mapQueries, 50):F1} ms, p99 {BeatToMap.Percentile(mapQueries, 99):F1} ms ({mapQueries.Count:N0}); "
    + $"map list GET maps p50 {BeatToMap.Percentile(listQueries, 50):F1} ms, p99 {BeatToMap.Percentile(listQueries, 99):F1} ms ({listQueries.Count:N0})");
Console.WriteLine($"  silo peak RSS {liveRss:F0} MiB after the live phase, {silo.StatusMiB("VmHWM"):F0} MiB after the replay");
Console.WriteLine($"RESULT monitors={options.Monitors} seconds={status.Elapsed.TotalSeconds:F0} offered={offered:F0} scored={status.Beats / status.Elapsed.TotalSeconds:F0} "
    + $"lag={status.Lag.TotalSeconds:F1} silo_ms_beat={liveMsPerBeat:F3} replay_ms_beat={replayMsPerBeat:F3} ratio={liveMsPerBeat / replayMsPerBeat:F2} "
    + $"client_ms_beat={liveClientCpu.TotalMilliseconds / Math.Max(status.Beats, 1):F3} b2m_p50={BeatToMap.Percentile(latencyMs, 50):F0} b2m_p99={BeatToMap.Percentile(latencyMs, 99):F0} "
    + $"query_p50={BeatToMap.Percentile(mapQueries, 50):F1} query_p99={BeatToMap.Percentile(mapQueries, 99):F1} rss_mib={liveRss:F0} run={run}");

async Task<SourceIngestion.Summary> Ingest(string name, IRecordSource source)
{
    await session.Grains.GetGrain<IRunGrain>(name).Configure(new RunRequest("kachuee-window-ds1", "vanilla"));
    return await SourceIngestion.IngestAsync(session.Grains, name, source, parallel: 4, chunkSeconds: 30, CancellationToken.None, showProgress: false);
}

internal sealed record Options(string Gateway, string Http, int SiloPid, int Monitors, double Seconds, string? Data, int ReplayRecords, int MaxInFlight)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        string Required(string name) => Value(name) ?? throw new ArgumentException($"{name} is required");
        return new Options(Required("--gateway"), Required("--http"), int.Parse(Required("--silo-pid"), CultureInfo.InvariantCulture),
            int.Parse(Required("--monitors"), CultureInfo.InvariantCulture), double.Parse(Value("--seconds") ?? "60", CultureInfo.InvariantCulture),
            Value("--data"), int.Parse(Value("--replay-records") ?? "24", CultureInfo.InvariantCulture),
            Value("--max-in-flight") is { } limit ? int.Parse(limit, CultureInfo.InvariantCulture) : FleetOptions.DefaultMaxInFlight);
    }
}
