using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Pipeline;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.Grains.Tests;

public sealed class RecordStreamTests
{
    private static readonly Lazy<WfdbRecord> Record = new(() => WfdbRecord.Read(TestData.MitBihDirectory, "208"));

    private static RecordStream NewStream() => RecordStream.Resume("r/mitdb/208", BeatRepresentation.Window, 4, new RecordState());

    private static EcgRequestException Refused(RecordStream stream, SignalChunk chunk)
    {
        var before = stream.NextSequence;
        var error = Assert.Throws<EcgRequestException>(() => stream.Accept(chunk));
        Assert.Equal(before, stream.NextSequence);
        return error;
    }

    [Fact]
    public void Batches_hold_at_most_256_beats_and_come_out_only_at_chunk_ends()
    {
        var plan = new ChunkPlan(Record.Value, 36000);
        var stream = NewStream();
        var batches = new List<BeatBatch>();
        for (var i = 0; i < plan.Count; i++)
        {
            var outcome = stream.Accept(plan.Chunk(i));
            batches.AddRange(outcome.Batches);
            Assert.Equal(outcome.Batches.Count > 0 || stream.Waiting == 0, outcome.CommitPoint);
        }

        Assert.True(stream.Done);
        Assert.All(batches, b => Assert.InRange(b.Count, 1, RecordStream.BatchSize));
        Assert.Equal(Enumerable.Range(0, batches.Count).Select(i => (long)i), batches.Select(b => b.Sequence));
        Assert.Equal(RecordBeats.Marks(Record.Value.Annotations).Length, batches.Sum(b => b.Count));
        Assert.Equal(Record.Value.SampleCount, stream.Samples);
    }

    [Fact]
    public void Resuming_from_a_commit_point_cuts_the_same_batches()
    {
        var plan = new ChunkPlan(Record.Value, 9000);
        var straight = NewStream();
        var expected = Enumerable.Range(0, plan.Count).SelectMany(i => straight.Accept(plan.Chunk(i, flush: i % 3 == 0)).Batches).ToList();

        var stream = NewStream();
        RecordState? committed = null;
        var batches = new List<BeatBatch>();
        for (var i = 0; i < plan.Count; i++)
        {
            var outcome = stream.Accept(plan.Chunk(i, flush: i % 3 == 0));
            batches.AddRange(outcome.Batches);
            if (outcome.CommitPoint) committed = stream.Checkpoint();
            if (i == plan.Count / 2)
            {
                // A crash: everything after the last commit point is forgotten and re-sent.
                stream = RecordStream.Resume("r/mitdb/208", BeatRepresentation.Window, 4, committed!);
                batches.RemoveAll(b => b.Sequence >= stream.Batches);
                i = (int)stream.NextSequence - 1;
            }
        }

        Assert.Equal(expected.Count, batches.Count);
        Assert.All(expected.Zip(batches), p =>
        {
            Assert.Equal(p.First.Sequence, p.Second.Sequence);
            Assert.Equal(p.First.Samples, p.Second.Samples);
            Assert.Equal(p.First.Waveforms, p.Second.Waveforms);
        });
    }

    [Fact]
    public void Refused_chunks_name_the_problem_and_change_nothing()
    {
        var stream = NewStream();
        stream.Accept(new SignalChunk(0, 360, new float[1000], [new ChunkAnnotation(500, 1)], false));

        Assert.Equal(EcgRequestException.Codes.ChunkOutOfOrder, Refused(stream, new SignalChunk(0, 360, new float[10], [], false)).Code);
        var future = Refused(stream, new SignalChunk(5, 360, new float[10], [], false));
        Assert.Equal((EcgRequestException.Codes.ChunkOutOfOrder, 1L), (future.Code, future.ExpectedSequence));
        Assert.Contains("sample 3", Refused(stream, new SignalChunk(1, 360, [0, 0, 0, float.PositiveInfinity], [], false)).Message);
        Assert.Contains("differs", Refused(stream, new SignalChunk(1, 250, new float[10], [], false)).Message);
        Assert.Contains("outside", Refused(stream, new SignalChunk(1, 360, new float[10], [new ChunkAnnotation(5, 1)], false)).Message);
        Assert.Contains("code 45", Refused(stream, new SignalChunk(1, 360, new float[10], [new ChunkAnnotation(1003, 45)], false)).Message);
        Assert.Contains("this one has none", Refused(stream, new SignalChunk(1, 360, new float[10], null, false)).Message);
        Assert.Contains("limit", Refused(stream, new SignalChunk(1, 360, new float[RecordStream.MaxChunkSamples + 1], [], false)).Message);
        Assert.Contains("needs samples", Refused(stream, new SignalChunk(1, 360, [], [], false)).Message);

        stream.Accept(new SignalChunk(1, 360, new float[1000], [new ChunkAnnotation(1500, 5)], true));
        Assert.True(stream.Done);
        Assert.Equal(EcgRequestException.Codes.RecordComplete, Refused(stream, new SignalChunk(2, 360, new float[10], [], false)).Code);
    }
}
