using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

/// <summary>
/// A reader of the run's class maps over the silo's HTTP API while the monitors stream: every few hundred
/// milliseconds it reads each predicted-class map (GET /api/runs/{run}/maps/predicted/{class}), timing each request,
/// and records the total count it saw and when. Once a second it also times the run's map list.
/// </summary>
internal sealed class MapProbe(HttpClient http, string run)
{
    private static readonly string[] Classes = ["N", "S", "V", "F", "Q"];
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    public ConcurrentQueue<double> MapQueryMs { get; } = new();

    public ConcurrentQueue<double> ListQueryMs { get; } = new();

    /// <summary>(Stopwatch timestamp once every map of the poll had answered, total predicted beats).</summary>
    public ConcurrentQueue<(long Timestamp, long Count)> Counts { get; } = new();

    public long LastCount { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var lastList = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            var next = Task.Delay(Interval, CancellationToken.None);
            var counts = await Task.WhenAll(Classes.Select(ReadCountAsync));
            LastCount = counts.Sum();
            Counts.Enqueue((Stopwatch.GetTimestamp(), LastCount));
            if (Stopwatch.GetElapsedTime(lastList) >= TimeSpan.FromSeconds(1))
            {
                lastList = Stopwatch.GetTimestamp();
                var started = Stopwatch.GetTimestamp();
                using var list = await http.GetAsync($"api/runs/{run}/maps");
                list.EnsureSuccessStatusCode();
                await list.Content.ReadAsByteArrayAsync();
                ListQueryMs.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            await next;
        }
    }

    private async Task<long> ReadCountAsync(string @class)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync($"api/runs/{run}/maps/predicted/{@class}");
        var body = await response.Content.ReadAsByteArrayAsync();
        MapQueryMs.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.StatusCode == HttpStatusCode.NotFound) return 0; // no beat of that class yet
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("count").GetInt64();
    }
}
