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
    private static readonly SyntheticOptions Patient = SyntheticEcg.RecordOptions(1, 1);

    [Fact]
    public void Chunks_are_numbered_flushed_and_carry_the_beats_that_fall_in_them()
    {
        var feed = new MonitorFeed("monitor-01", Patient, 360);
        var chunks = Enumerable.Range(0, 20).Select(_ => feed.Next()).ToList();

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), chunks.Select(c => c.Sequence));
        Assert.All(chunks, c => Assert.True(c.Flush && !c.IsLast && c.Samples.Length == 360 && c.SamplingFrequency == 360));
        Assert.All(chunks, c => Assert.All(c.Annotations!, a => Assert.InRange(a.Sample, c.Sequence * 360, c.Sequence * 360 + 359)));
        Assert.Equal(20.0, feed.Seconds, 9);
    }

    [Fact]
    public void The_stream_is_the_synthetic_record_of_the_same_options()
    {
        var feed = new MonitorFeed("monitor-02", Patient, 360);
        var chunks = Enumerable.Range(0, 30).Select(_ => feed.Next()).ToList();
        var record = SyntheticEcg.Generate(Patient, "x", 30);

        Assert.Equal(record.Physical(0), chunks.SelectMany(c => c.Samples));
        Assert.Equal(record.Annotations.Select(a => (a.Sample, (byte)a.Code)), chunks.SelectMany(c => c.Annotations!).Select(a => (a.Sample, a.Code)));
    }

    [Fact]
    public void Skipping_ahead_gives_the_chunks_a_continuous_stream_would()
    {
        var continuous = new MonitorFeed("m", Patient, 500);
        var expected = Enumerable.Range(0, 8).Select(_ => continuous.Next()).ToList()[^1]; // ToList: Last() alone would run the selector once
        var skipping = new MonitorFeed("m", Patient, 500);

        skipping.SkipTo(7);
        var actual = skipping.Next();

        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.Samples, actual.Samples);
        Assert.Equal(expected.Annotations, actual.Annotations);
        Assert.Throws<InvalidOperationException>(() => skipping.SkipTo(2));
    }
}
