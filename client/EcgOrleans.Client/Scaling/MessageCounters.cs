using System.Diagnostics.Metrics;
using System.Globalization;

namespace EcgOrleans.Client.Scaling;

/// <summary>
/// A silo's message counts from the Orleans meter: messages it sent inside its own process (grain calls and
/// responses between its activations), and messages it sent to other silos or clients, with their bytes. Runtime
/// statistics no longer carry these in Orleans 10; the meter does.
/// </summary>
internal sealed class MessageCounters : IDisposable
{
    private const string Local = "orleans-messaging-sent-local";
    private const string RemoteSize = "orleans-messaging-sent-messages-size";
    private readonly MeterListener _listener = new();
    private long _local;
    private long _remote;
    private long _remoteBytes;

    public MessageCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && instrument.Name is Local or RemoteSize)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(instrument.Name, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Record(instrument.Name, value));
        _listener.Start();
    }

    /// <summary>"messages local=… remote=… remote-bytes=…", the line a silo prints for its parent.</summary>
    public string Line()
    {
        _listener.RecordObservableInstruments();
        return string.Create(CultureInfo.InvariantCulture,
            $"messages local={Interlocked.Read(ref _local)} remote={Interlocked.Read(ref _remote)} remote-bytes={Interlocked.Read(ref _remoteBytes)}");
    }

    public static (long Local, long Remote, long RemoteBytes)? Parse(string line)
    {
        if (!line.StartsWith("messages ", StringComparison.Ordinal)) return null;
        var values = line[9..].Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        return (values["local"], values["remote"], values["remote-bytes"]);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(string instrument, long value)
    {
        if (instrument == Local)
        {
            Interlocked.Exchange(ref _local, value); // an observable counter reports its running total
        }
        else
        {
            Interlocked.Increment(ref _remote);
            Interlocked.Add(ref _remoteBytes, value);
        }
    }
}
