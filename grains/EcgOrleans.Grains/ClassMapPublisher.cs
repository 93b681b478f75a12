using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Hosting;
using EcgOrleans.Grains.Pipeline;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace EcgOrleans.Grains;

/// <summary>
/// A silo's class-map publisher for one run: a local stateless worker, reentrant, that gathers the contributions of
/// the silo's record grains into epochs and applies each epoch to every class map it touches, so that a class map
/// takes a few merges per silo per <see cref="EcgOptions.PublishInterval"/> however many records stream. The protocol
/// (docs/exactly-once.md): a record reserves a place in the open epoch, persists its contribution with the ticket,
/// then publishes it (or abandons the epoch when it could not persist). An epoch is applied once every reservation in
/// it is resolved, epochs strictly in order; after an epoch that failed or was abandoned the activation takes no more
/// work, so that the epochs a class map has applied from it are always a complete prefix.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed class ClassMapPublisher(IGrainFactory grains, IOptions<EcgOptions> options) : Grain, IClassMapPublisher
{
    private readonly string _id = $"{Guid.NewGuid():N}";
    private readonly SortedDictionary<long, PublicationEpoch> _epochs = [];
    private PublicationEpoch? _open;
    private long _lastEpoch;
    private bool _draining;
    private Exception? _broken;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(CloseOpenEpoch, new GrainTimerCreationOptions(options.Value.PublishInterval, options.Value.PublishInterval) { Interleave = true });
        return Task.CompletedTask;
    }

    public Task<PublicationTicket> Reserve()
    {
        if (_broken is not null) throw Broken();
        if (_open is null)
        {
            _open = new PublicationEpoch(++_lastEpoch);
            _epochs.Add(_open.Number, _open);
        }
        _open.Reserve();
        return Task.FromResult(new PublicationTicket(_id, _open.Number));
    }

    public Task Publish(PublicationTicket ticket, IReadOnlyList<PartialMap> parts)
    {
        var epoch = Epoch(ticket);
        epoch.Contribute(parts);
        _ = DrainAsync();
        return epoch.Applied;
    }

    public Task Abandon(PublicationTicket ticket)
    {
        if (ticket.Publisher == _id && _epochs.TryGetValue(ticket.Epoch, out var epoch))
        {
            epoch.Abandon();
            _ = DrainAsync();
        }
        return Task.CompletedTask;
    }

    private Task CloseOpenEpoch(CancellationToken cancellation)
    {
        _open?.Close();
        _open = null;
        return DrainAsync();
    }

    /// <summary>Applies the ready epochs at the head of the line, one after another.</summary>
    private async Task DrainAsync()
    {
        if (_draining) return;
        _draining = true;
        try
        {
            while (_epochs.Count > 0 && _epochs.First().Value is { IsReady: true } epoch)
            {
                _epochs.Remove(epoch.Number);
                if (_broken is not null) epoch.Fail(Broken());
                else if (epoch.IsAbandoned) Stop(epoch, new PublicationFailedException($"epoch {epoch.Number} of publisher {_id} was abandoned by a record that could not persist"));
                else await ApplyAsync(epoch);
            }
        }
        finally
        {
            _draining = false;
        }
    }

    private async Task ApplyAsync(PublicationEpoch epoch)
    {
        var run = this.GetPrimaryKeyString();
        try
        {
            await Task.WhenAll(epoch.Parts().Select(part => grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, part.Key)).Apply(_id, epoch.Number, part)));
            epoch.Succeed();
        }
        catch (Exception e)
        {
            // Some maps may have applied this epoch and others not: nothing later may follow it.
            Stop(epoch, e);
        }
    }

    /// <summary>
    /// Ends this activation's epochs at <paramref name="epoch"/>, which was not applied everywhere (it failed part-way,
    /// or a record abandoned it). No later epoch of this activation may reach a class map: a map keeps only the last
    /// epoch it applied from a publisher, and answers <see cref="IClassMapGrain.Resolve"/> for every epoch up to it
    /// as applied, so a later epoch applied after a skipped one would have the skipped one's records drop their
    /// contributions as counted.
    /// </summary>
    private void Stop(PublicationEpoch epoch, Exception reason)
    {
        _broken = reason;
        epoch.Fail(reason);
        FailHeldEpochs();
        DeactivateOnIdle();
    }

    /// <summary>
    /// Fails every epoch still held, ready or not, as the loss of this activation would. Waiting for them instead
    /// deadlocks: a deactivating activation holds new messages, so the publications a later epoch waits for never
    /// arrive, while the publications already in it keep the activation from ever becoming idle.
    /// </summary>
    private void FailHeldEpochs()
    {
        foreach (var held in _epochs.Values) held.Fail(Broken());
        _epochs.Clear();
        _open = null;
    }

    private PublicationEpoch Epoch(PublicationTicket ticket)
    {
        if (ticket.Publisher != _id || !_epochs.TryGetValue(ticket.Epoch, out var epoch))
            throw new PublicationFailedException($"epoch {ticket.Epoch} of publisher {ticket.Publisher} is not open here");
        return epoch;
    }

    private PublicationFailedException Broken() =>
        new($"class-map publisher {_id} stopped after a failed epoch: {_broken?.Message}");
}
