using System.Diagnostics;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Cluster;
using Polly;
using static EcgOrleans.Abstractions.EcgRequestException;

namespace EcgOrleans.Client.Live;

/// <summary>
/// One live monitor streaming into its record grain. Each step makes the next chunk and delivers everything the
/// grain has not yet applied. When the grain rolls back to its last commit point (a failure, a deactivation) it
/// names the chunk it expects and the monitor resends from its <see cref="ResendBuffer"/>; a new session starts
/// where the grain's last session left off.
/// </summary>
/// <param name="grain">The record grain of this monitor in its run ("run/live/monitor-000001").</param>
/// <param name="acknowledged">Told of every chunk the grain acknowledged: when it was first sent, and the beats that
/// acknowledgement added (for latency measurements; called from many monitors at once).</param>
internal sealed class LiveMonitor(IRecordGrain grain, ResiliencePipeline resilience, string run, MonitorFeed feed,
    Action<ChunkAcknowledged>? acknowledged = null)
{
    private const int MaxResumesPerStep = 100;
    private readonly ResendBuffer _buffer = new();
    private readonly IRecordGrain _grain = grain;
    private long _expected;

    public string Record => feed.Record;

    public double SignalSeconds => feed.Seconds;

    /// <summary>Beats the grain has scored (from its last acknowledgement).</summary>
    public long Beats { get; private set; }

    public long ChunksSent { get; private set; }

    /// <summary>Times the grain sent the monitor back to an earlier chunk, or a call failed and was resumed.</summary>
    public int Resumes { get; private set; }

    /// <summary>Chunks made but not yet durable in the grain.</summary>
    public int Pending => _buffer.Count;

    /// <summary>Chunks made so far (the sequence number of the next).</summary>
    public long Made => feed.NextSequence;

    /// <summary>Chunks the grain has applied (the sequence number it expects next).</summary>
    public long Delivered => Volatile.Read(ref _expected);

    /// <summary>Whether the grain holds the whole record, its last chunk included (after <see cref="FinishAsync"/>).</summary>
    public bool Done { get; private set; }

    /// <summary>Beats per AAMI class that the chunks this monitor made carry (see <see cref="MonitorFeed.ReferenceCounts"/>).</summary>
    public long[] ReferenceCounts() => feed.ReferenceCounts(feed.NextSequence);

    /// <summary>Asks the grain where the record stands and moves the monitor there.</summary>
    public async Task StartAsync(CancellationToken cancellation)
    {
        var progress = await resilience.ExecuteAsync(async _ => await _grain.GetProgress(), cancellation);
        if (progress.Done)
            throw new InvalidOperationException($"record {feed.Record} of run {run} is complete; a live monitor cannot add to it (pick another run)");
        // Chunks up to the commit point are durable: skip them. Those after it may be applied but not durable: hold them for a resend.
        feed.SkipTo(progress.CommittedSequence + 1);
        _buffer.Reset(feed.NextSequence);
        while (feed.NextSequence < progress.NextSequence) _buffer.Add(feed.Next());
        _expected = progress.NextSequence;
        Beats = progress.BeatsScored;
    }

    /// <summary>Makes the next chunk and delivers every chunk the grain still needs.</summary>
    public async Task StepAsync(CancellationToken cancellation)
    {
        _buffer.Add(feed.Next());
        await DeliverAsync(cancellation);
    }

    /// <summary>Makes the chunks up to <paramref name="made"/> (a count) and delivers every chunk the grain still needs.</summary>
    public async Task CatchUpAsync(long made, CancellationToken cancellation)
    {
        while (feed.NextSequence < made) _buffer.Add(feed.Next());
        await DeliverAsync(cancellation);
    }

    /// <summary>
    /// Ends the record: delivers every chunk still pending, then the last chunk (empty, <see cref="SignalChunk.IsLast"/>),
    /// with the same resumes as any chunk. Once it returns the grain holds the record as done, and the monitor makes
    /// no more chunks. Calling it again after a failure carries on where it stopped.
    /// </summary>
    public async Task FinishAsync(CancellationToken cancellation)
    {
        if (feed.Last is null) _buffer.Add(feed.End());
        await DeliverAsync(cancellation);
        if (!Done) throw new InvalidOperationException($"record {feed.Record} of run {run}: the grain took the last chunk but does not report the record done");
    }

    private async Task DeliverAsync(CancellationToken cancellation)
    {
        var resumes = 0;
        while (_expected < _buffer.Next)
        {
            cancellation.ThrowIfCancellationRequested();
            var chunk = _buffer.Get(_expected);
            try
            {
                var sent = Stopwatch.GetTimestamp();
                var ack = await resilience.ExecuteAsync(async _ => await _grain.Append(chunk), cancellation);
                ChunksSent++;
                Volatile.Write(ref _expected, ack.NextSequence);
                _buffer.Commit(ack.CommittedSequence);
                acknowledged?.Invoke(new ChunkAcknowledged(sent, ack.Beats - Beats));
                Beats = ack.Beats;
                Done = ack.Done;
            }
            catch (EcgRequestException e) when (e.Code == Codes.RecordComplete && feed.Last is not null)
            {
                // The last chunk got there and its acknowledgement was lost (a retry, a silo lost after the commit):
                // a grain refuses chunks as complete only once its last chunk's commit point is durable.
                Resume(ref resumes, e);
                var progress = await resilience.ExecuteAsync(async _ => await _grain.GetProgress(), cancellation);
                if (!progress.Done)
                    throw new InvalidOperationException($"record {feed.Record} of run {run}: the grain refused a chunk as complete but does not report the record done", e);
                Volatile.Write(ref _expected, progress.NextSequence);
                _buffer.Commit(progress.CommittedSequence);
                Beats = progress.BeatsScored;
                Done = true;
            }
            catch (EcgRequestException e) when (e.Code == Codes.ChunkOutOfOrder && e.ExpectedSequence is { } expected)
            {
                Resume(ref resumes, e);
                if (expected > _buffer.Next)
                    throw new InvalidOperationException(
                        $"record {feed.Record} of run {run} expects chunk {expected} but this monitor has made only {_buffer.Next}: is another session streaming the same monitor?", e);
                _expected = expected;
            }
            catch (Exception e) when (ClientResilience.IsTransient(e) && !cancellation.IsCancellationRequested)
            {
                // Retries ran out: wait, then ask the grain where it stands (it rolled back to its commit point).
                Resume(ref resumes, e);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
                var progress = await resilience.ExecuteAsync(async _ => await _grain.GetProgress(), cancellation);
                _expected = progress.NextSequence;
                if (progress.Done)
                {
                    _buffer.Commit(progress.CommittedSequence);
                    Beats = progress.BeatsScored;
                    Done = true;
                }
            }
        }
    }

    private void Resume(ref int resumes, Exception cause)
    {
        Resumes++;
        if (++resumes > MaxResumesPerStep)
            throw new InvalidOperationException($"record {feed.Record} of run {run}: gave up after {MaxResumesPerStep} resumes in one step", cause);
    }
}

/// <summary>A chunk the grain acknowledged: when it was sent (a <see cref="Stopwatch"/> timestamp), and the beats it added.</summary>
internal readonly record struct ChunkAcknowledged(long SentTimestamp, long Beats);
