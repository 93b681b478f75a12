using EcgOrleans.Abstractions;

namespace EcgOrleans.Grains.Pipeline;

/// <summary>
/// One epoch of a class-map publisher: how many records reserved a place in it, what those that published add up to
/// per class map, and when it may be applied (closed, and every reservation published or abandoned).
/// </summary>
public sealed class PublicationEpoch(long number)
{
    private readonly Contribution _sum = new();
    private readonly TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _reserved;
    private int _resolved;
    private bool _closed;

    public long Number { get; } = number;

    public bool IsAbandoned { get; private set; }

    public bool IsReady => _closed && _resolved == _reserved;

    /// <summary>Completes when the epoch is applied everywhere; faults when it is not.</summary>
    public Task Applied => _applied.Task;

    public void Reserve()
    {
        if (_closed) throw new InvalidOperationException($"epoch {Number} is closed");
        _reserved++;
    }

    public void Contribute(IReadOnlyList<PartialMap> parts)
    {
        Resolve();
        foreach (var part in parts) _sum.Add(part);
    }

    public void Abandon()
    {
        Resolve();
        IsAbandoned = true;
    }

    public void Close() => _closed = true;

    /// <summary>One partial map per class map the epoch touches, in key order.</summary>
    public PartialMap[] Parts() => _sum.Parts();

    public void Succeed() => _applied.TrySetResult();

    public void Fail(Exception reason) => _applied.TrySetException(reason);

    private void Resolve()
    {
        if (_resolved == _reserved) throw new InvalidOperationException($"epoch {Number}: more contributions than reservations");
        _resolved++;
    }
}
