using System.Diagnostics.Metrics;
using EcgOrleans.Grains.Telemetry;

namespace EcgOrleans.Silo.Live;

/// <summary>
/// The live-stream instruments of this silo's HTTP API, on a meter from the host's <see cref="IMeterFactory"/> (disposed
/// with the host, so test hosts do not add to each other's counts). The meter has the name of the grains' meter,
/// <see cref="EcgMetrics.MeterName"/>, so that one <c>AddMeter</c> exports both.
/// </summary>
public sealed class StreamMetrics
{
    private readonly UpDownCounter<long> _open;
    private readonly Counter<long> _refused;

    public StreamMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(EcgMetrics.MeterName, typeof(StreamMetrics).Assembly.GetName().Version?.ToString());
        _open = meter.CreateUpDownCounter<long>("ecg.api.streams", "{connection}",
            "Open server-sent-event streams of class-map updates.");
        _refused = meter.CreateCounter<long>("ecg.api.streams.refused", "{connection}",
            "Class-map streams refused because the silo's stream limit was reached.");
    }

    public void Opened() => _open.Add(1);

    public void Closed() => _open.Add(-1);

    public void Refused() => _refused.Add(1);
}
