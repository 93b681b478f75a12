using EcgOrleans.Abstractions;
using EcgOrleans.Client.Live;
using EcgOrleans.Signal.Synthetic;

namespace EcgOrleans.Client.Tests;

public sealed class ResendBufferTests
{
    private static SignalChunk Chunk(long sequence) => new(sequence, 360, [1f], [], false, true);

    [Fact]
    public void Chunks_stay_until_committed_and_are_given_back_by_sequence()
    {
        var buffer = new ResendBuffer();
        buffer.Reset(5);
        for (var s = 5; s < 9; s++) buffer.Add(Chunk(s));

        buffer.Commit(6);

        Assert.Equal((7L, 9L, 2), (buffer.Oldest, buffer.Next, buffer.Count));
        Assert.Equal(8, buffer.Get(8).Sequence);
        Assert.Equal(7, buffer.Get(7).Sequence);
    }

    [Fact]
    public void A_commit_point_before_the_buffer_or_beyond_it_drops_nothing_or_everything()
    {
        var buffer = new ResendBuffer();
        buffer.Add(Chunk(0));
        buffer.Add(Chunk(1));
        buffer.Commit(-1);
        Assert.Equal(2, buffer.Count);
        buffer.Commit(10);
        Assert.Equal((0, 2L), (buffer.Count, buffer.Next));
    }

    [Fact]
    public void A_committed_chunk_or_one_not_made_cannot_be_resent()
    {
        var buffer = new ResendBuffer();
        buffer.Reset(3);
        buffer.Add(Chunk(3));
        buffer.Commit(3);

        Assert.Contains("chunk 3 is no longer held", Assert.Throws<InvalidOperationException>(() => buffer.Get(3)).Message);
        Assert.Contains("chunk 4 has not been made yet", Assert.Throws<InvalidOperationException>(() => buffer.Get(4)).Message);
        Assert.Contains("chunk 6 added to a buffer that expects chunk 4", Assert.Throws<ArgumentException>(() => buffer.Add(Chunk(6))).Message);
    }
}

public sealed class MonitorFeedTests
{
    private static readonly PatientPool Pool = PatientPool.Synthetic(seed: 1, patients: 2, seconds: 30);

    [Fact]
    public void Chunks_are_numbered_flushed_and_carry_the_beats_that_fall_in_them()
    {
        var feed = new MonitorFeed("monitor-000001", Pool.Patients[1], offset: 0, chunkSamples: 360);
        var chunks = Enumerable.Range(0, 20).Select(_ => feed.Next()).ToList();

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), chunks.Select(c => c.Sequence));
        Assert.All(chunks, c => Assert.True(c.Flush && !c.IsLast && c.Samples.Length == 360 && c.SamplingFrequency == 360));
        Assert.All(chunks, c => Assert.All(c.Annotations!, a => Assert.InRange(a.Sample, c.Sequence * 360, c.Sequence * 360 + 359)));
        Assert.Equal(20.0, feed.Seconds, 9);
    }

    [Fact]
    public void From_offset_zero_the_stream_is_the_synthetic_record_of_the_patient()
    {
        var feed = new MonitorFeed("monitor-000002", Pool.Patients[1], offset: 0, chunkSamples: 360);
        var chunks = Enumerable.Range(0, 30).Select(_ => feed.Next()).ToList();
        var record = SyntheticEcg.Generate(SyntheticEcg.RecordOptions(1, 1), "x", 30);

        Assert.Equal(record.Physical(0), chunks.SelectMany(c => c.Samples));
        Assert.Equal(record.Annotations.Select(a => (a.Sample, (byte)a.Code)), chunks.SelectMany(c => c.Annotations!).Select(a => (a.Sample, a.Code)));
    }

    [Fact]
    public void A_chunk_is_the_same_whenever_it_is_made_so_a_resend_is_the_same_chunk()
    {
        var continuous = new MonitorFeed("m", Pool.Patients[0], offset: 5000, chunkSamples: 500);
        var expected = Enumerable.Range(0, 8).Select(_ => continuous.Next()).ToList()[^1]; // ToList: Last() alone would run the selector once
        var skipping = new MonitorFeed("m", Pool.Patients[0], offset: 5000, chunkSamples: 500);

        skipping.SkipTo(7);
        var actual = skipping.Next();

        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.Samples, actual.Samples);
        Assert.Equal(expected.Annotations, actual.Annotations);
        Assert.Equal(expected.Samples, continuous.Chunk(7).Samples);
        Assert.Throws<InvalidOperationException>(() => skipping.SkipTo(2));
    }

    [Fact]
    public void A_monitor_plays_its_patient_from_its_offset_and_wraps_at_the_end()
    {
        var patient = Pool.Patients[0];
        var offset = patient.Length - 100L; // chunk 0 holds the loop's last 100 samples, then its first 260
        var chunk = new MonitorFeed("m", patient, offset, 360).Chunk(0);
        var whole = new MonitorFeed("m", patient, 0, patient.Length).Chunk(0);

        Assert.Equal(whole.Samples[^100..].Concat(whole.Samples[..260]), chunk.Samples);
        var expected = whole.Annotations!.Where(a => a.Sample >= offset).Select(a => a.Sample - offset)
            .Concat(whole.Annotations!.Where(a => a.Sample < 260).Select(a => a.Sample + 100));
        Assert.Equal(expected, chunk.Annotations!.Select(a => a.Sample));
        // The second pass through the loop is the first again, numbered on.
        var later = new MonitorFeed("m", patient, 0, patient.Length).Chunk(1);
        Assert.Equal(whole.Samples, later.Samples);
        Assert.Equal(whole.Annotations!.Select(a => a.Sample + patient.Length), later.Annotations!.Select(a => a.Sample));
    }

    [Fact]
    public void Monitors_take_the_patients_in_turn_each_from_its_own_offset()
    {
        var pool = PatientPool.Synthetic(seed: 1, patients: 3, seconds: 60);
        var assigned = Enumerable.Range(0, 3000).Select(pool.Assign).ToList();

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => pool.Patients[i % 3]), assigned.Select(a => a.Patient));
        Assert.Equal([0L, 0L, 0L, PatientPool.OffsetStep], assigned.Take(4).Select(a => a.Offset));
        Assert.All(assigned, a => Assert.InRange(a.Offset, 0, a.Patient.Length - 1));
        // Monitors of one patient start at many places, not a few.
        Assert.True(assigned.Where((_, i) => i % 3 == 0).Select(a => a.Offset).Distinct().Count() > 900);
        Assert.Equal(pool.Assign(2999).Offset, PatientPool.Synthetic(seed: 1, patients: 3, seconds: 60).Assign(2999).Offset);
    }

    [Fact]
    public void A_recording_without_annotations_gives_chunks_without_them_so_the_grain_detects_beats()
    {
        var loop = new PatientLoop("x", 360, new float[1000], annotations: null);

        Assert.Null(new MonitorFeed("m", loop, 10, 360).Chunk(3).Annotations);
        Assert.Equal(0, loop.BeatsPerSecond);
    }
}

public sealed class MonitorNamesTests
{
    [Fact]
    public void Names_keep_one_width_so_they_sort_in_monitor_order_up_to_the_largest_fleet()
    {
        var names = new[] { 0, 1, 8, 9, 98, 99, 998, 999, 9_999, 99_999 }.Select(MonitorNames.RecordName).ToList();

        Assert.Equal("monitor-000001", names[0]);
        Assert.Equal("monitor-100000", names[^1]);
        Assert.Equal(names, names.Order(StringComparer.Ordinal));
        Assert.All(names, n => Assert.Equal(14, n.Length));
        Assert.All(names, n => EcgOrleans.Abstractions.GrainKeys.CheckPart(n, "record"));
        Assert.Throws<ArgumentOutOfRangeException>(() => MonitorNames.RecordName(MonitorNames.MaxMonitors));
        Assert.Throws<ArgumentOutOfRangeException>(() => MonitorNames.RecordName(-1));
    }

    [Fact]
    public void Every_monitor_of_the_largest_fleet_has_its_own_name()
    {
        var names = Enumerable.Range(0, MonitorNames.MaxMonitors).Select(MonitorNames.RecordName).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(names, names.Order(StringComparer.Ordinal));
    }
}

public sealed class BeatToMapTests
{
    [Fact]
    public void A_chunk_counts_once_a_reading_after_its_send_holds_every_beat_sent_up_to_it()
    {
        // Sends at 0, 10 and 20 add 2, 0 and 3 beats; the reader sees 1 at 5, 2 at 12, 4 at 25, 5 at 31.
        (long, long)[] sent = [(20, 3), (0, 2), (10, 0)];
        (long, long)[] seen = [(5, 1), (12, 2), (25, 4), (31, 5)];

        var (latencies, unseen) = BeatToMap.Latencies(sent, seen);

        Assert.Equal([12.0, 11.0], latencies); // the beatless chunk has no latency
        Assert.Equal(0, unseen);
    }

    [Fact]
    public void Beats_never_seen_are_counted_apart_and_percentiles_take_the_nearest_rank()
    {
        var (latencies, unseen) = BeatToMap.Latencies([(0, 1), (1, 1)], [(3, 1)]);

        Assert.Equal([3.0], latencies);
        Assert.Equal(1, unseen);
        double[] values = [.. Enumerable.Range(1, 100).Select(i => (double)i)];
        Assert.Equal(50, BeatToMap.Percentile(values, 50));
        Assert.Equal(99, BeatToMap.Percentile(values, 99));
        Assert.True(double.IsNaN(BeatToMap.Percentile([], 50)));
    }
}
