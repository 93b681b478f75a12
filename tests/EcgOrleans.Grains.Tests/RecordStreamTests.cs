using EcgOrleans.Abstractions;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Grains.Pipeline;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.Grains.Tests;

[Trait("Category", "Data")]
public sealed class RecordStreamTests
{
    private static readonly Lazy<WfdbRecord> Record = new(() => WfdbRecord.Read(TestData.MitBihDirectory, "208"));

    /// <summary>Record 208 as a monitor without a reference annotator sends it: its beats must be detected.</summary>
    private static readonly Lazy<WfdbRecord> Unannotated = new(() => new WfdbRecord(Record.Value.Header, Record.Value.Digital, []));

    private static readonly Lazy<IReadOnlyList<long>> Detections =
        new(() => QrsDetector.Detect(Record.Value.Physical(Record.Value.PrimaryLead), Record.Value.Header.SamplingFrequency));

    private static RecordStream NewStream() => RecordStream.Resume("r/mitdb/208", BeatRepresentation.Window, 4, new RecordState());

    private static EcgRequestException Refused(RecordStream stream, SignalChunk chunk)
    {
        var before = stream.NextSequence;
        var error = Assert.Throws<EcgRequestException>(() => stream.Accept(chunk));
        Assert.Equal(before, stream.NextSequence);
        return error;
    }

    /// <summary>Without flushes, every batch but the record's last holds BatchSize to 2 x BatchSize - 1 beats: no short tails.</summary>
    private static void AssertBatchSizes(List<BeatBatch> batches)
    {
        Assert.All(batches[..^1], b => Assert.InRange(b.Count, RecordStream.BatchSize, 2 * RecordStream.BatchSize - 1));
        Assert.InRange(batches[^1].Count, 1, 2 * RecordStream.BatchSize - 1);
    }

    [Fact]
    public void Batches_hold_256_to_511_beats_but_the_last_and_come_out_only_at_chunk_ends()
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
        AssertBatchSizes(batches);
        Assert.Equal(Enumerable.Range(0, batches.Count).Select(i => (long)i), batches.Select(b => b.Sequence));
        Assert.Equal(RecordBeats.Marks(Record.Value.Annotations).Length, batches.Sum(b => b.Count));
        Assert.Equal(Record.Value.SampleCount, stream.Samples);
    }

    [Fact]
    public void A_flush_with_no_beat_waiting_sends_no_batch()
    {
        var stream = NewStream();

        var outcome = stream.Accept(new ChunkPlan(Record.Value, 100).Chunk(0, flush: true)); // too short to cut a beat

        Assert.Empty(outcome.Batches);
        Assert.True(outcome.CommitPoint);
    }

    /// <summary>
    /// Streams <paramref name="record"/> twice: straight through, and with crashes that roll the stream back to its
    /// last commit point (everything after it forgotten and re-sent) after each chunk in <paramref name="crashAfter"/>.
    /// </summary>
    private static (List<BeatBatch> Straight, List<BeatBatch> Resumed, int Rollbacks) StreamWithCrashes(WfdbRecord record, int chunkSamples, params int[] crashAfter)
    {
        var plan = new ChunkPlan(record, chunkSamples);
        var straight = NewStream();
        var expected = Enumerable.Range(0, plan.Count).SelectMany(i => straight.Accept(plan.Chunk(i, flush: i % 3 == 0)).Batches).ToList();

        var stream = NewStream();
        var committed = new RecordState();
        var batches = new List<BeatBatch>();
        var crashes = new HashSet<int>(crashAfter);
        var rollbacks = 0;
        for (var i = 0; i < plan.Count; i++)
        {
            var outcome = stream.Accept(plan.Chunk(i, flush: i % 3 == 0));
            batches.AddRange(outcome.Batches);
            if (outcome.CommitPoint) committed = stream.Checkpoint();
            if (crashes.Remove(i))
            {
                stream = RecordStream.Resume("r/mitdb/208", BeatRepresentation.Window, 4, committed);
                batches.RemoveAll(b => b.Sequence >= stream.Batches);
                rollbacks += i + 1 - (int)stream.NextSequence;
                i = (int)stream.NextSequence - 1;
            }
        }
        return (expected, batches, rollbacks);
    }

    private static void AssertSameBatches(List<BeatBatch> expected, List<BeatBatch> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.All(expected.Zip(actual), p =>
        {
            Assert.Equal(p.First.Sequence, p.Second.Sequence);
            Assert.Equal(p.First.Samples, p.Second.Samples);
            Assert.Equal(p.First.References, p.Second.References);
            Assert.Equal(p.First.Waveforms, p.Second.Waveforms);
            Assert.Equal(p.First.Rhythm, p.Second.Rhythm);
        });
    }

    [Fact]
    public void Resuming_from_a_commit_point_cuts_the_same_batches()
    {
        var (expected, batches, rollbacks) = StreamWithCrashes(Record.Value, 9000, 37, 50);
        Assert.True(rollbacks > 0, "the crash fell on a commit point: nothing was rolled back");
        AssertSameBatches(expected, batches);
    }

    [Fact]
    public void A_record_without_annotations_yields_one_unlabelled_beat_per_detected_R_peak_in_batches()
    {
        var plan = new ChunkPlan(Unannotated.Value, 36000);
        var stream = NewStream();
        var batches = new List<BeatBatch>();
        for (var i = 0; i < plan.Count; i++)
        {
            Assert.Null(plan.Chunk(i).Annotations);
            var outcome = stream.Accept(plan.Chunk(i));
            batches.AddRange(outcome.Batches);
            Assert.Equal(outcome.Batches.Count > 0 || stream.Waiting == 0, outcome.CommitPoint);
        }

        Assert.True(stream.Done);
        AssertBatchSizes(batches);
        Assert.True(batches.Count >= 10, $"only {batches.Count} batches");
        Assert.Equal(Enumerable.Range(0, batches.Count).Select(i => (long)i), batches.Select(b => b.Sequence));
        Assert.Equal(Detections.Value, batches.SelectMany(b => b.Samples));
        Assert.All(batches, b => Assert.All(b.References, r => Assert.Equal(BeatBatch.NoReference, r)));
        Assert.Equal(Detections.Value.Count, stream.Beats);
    }

    [Fact]
    public void The_detector_state_is_persisted_at_commit_points_and_dropped_when_the_record_is_complete()
    {
        var plan = new ChunkPlan(Unannotated.Value, 36000);
        var stream = NewStream();
        stream.Accept(plan.Chunk(0, flush: true));
        var midway = stream.Checkpoint();
        Assert.NotNull(midway.Detector);
        Assert.NotNull(midway.Segmenter);
        Assert.Equal(36000, QrsDetector.Restore(midway.Detector).SampleCount);

        for (var i = 1; i < plan.Count; i++) stream.Accept(plan.Chunk(i));
        var done = stream.Checkpoint();
        Assert.True(done.Done);
        Assert.Null(done.Detector);
        Assert.Null(done.Segmenter);

        var annotated = NewStream();
        annotated.Accept(new ChunkPlan(Record.Value, 36000).Chunk(0, flush: true));
        Assert.Null(annotated.Checkpoint().Detector);
    }

    [Fact]
    public void Resuming_a_record_without_annotations_from_a_commit_point_cuts_the_same_batches()
    {
        // Crashes early (while the detector learns), midway and near the end; every third chunk flushes.
        var (expected, batches, rollbacks) = StreamWithCrashes(Unannotated.Value, 9000, 0, 1, 20, 36, 37, 60, 71);
        Assert.True(rollbacks > 3, $"only {rollbacks} chunks were rolled back");
        AssertSameBatches(expected, batches);
        Assert.Equal(Detections.Value, batches.SelectMany(b => b.Samples));
    }

    [Fact]
    public void Refused_chunks_of_a_record_without_annotations_change_nothing()
    {
        var plan = new ChunkPlan(Unannotated.Value, 20000);
        var straight = NewStream();
        var expected = Enumerable.Range(0, plan.Count).SelectMany(i => straight.Accept(plan.Chunk(i)).Batches).ToList();

        var stream = NewStream();
        var batches = new List<BeatBatch>();
        for (var i = 0; i < plan.Count; i++)
        {
            if (i > 0)
            {
                var chunk = plan.Chunk(i);
                var spoilt = (float[])chunk.Samples.Clone();
                spoilt[^1] = float.NaN; // refused after the detector could have seen all the samples before it
                Assert.Contains("not a finite value", Refused(stream, chunk with { Samples = spoilt }).Message);
                Assert.Contains("this one has", Refused(stream, chunk with { Annotations = [] }).Message);
            }
            batches.AddRange(stream.Accept(plan.Chunk(i)).Batches);
        }

        AssertSameBatches(expected, batches);
    }

    [Fact]
    public void A_run_that_takes_saliency_towards_the_reference_class_refuses_chunks_without_annotations()
    {
        var stream = RecordStream.Resume("r/mitdb/208", BeatRepresentation.Window, 4, new RecordState(), referencesRequired: true);
        Assert.Contains("reference class", Refused(stream, new ChunkPlan(Unannotated.Value, 36000).Chunk(0)).Message);
        Assert.NotEmpty(stream.Accept(new ChunkPlan(Record.Value, 36000).Chunk(0, flush: true)).Batches);
    }

    [Fact]
    public void A_record_without_annotations_needs_a_frequency_the_detector_takes()
    {
        var stream = NewStream();
        var error = Refused(stream, new SignalChunk(0, 40, new float[1000], null, false));
        Assert.Contains("40 Hz", error.Message);
        Assert.Contains("detected", error.Message);
        // The same frequency is fine with reference annotations: nothing is detected.
        stream.Accept(new SignalChunk(0, 40, new float[1000], [new ChunkAnnotation(500, 1)], true));
        Assert.True(stream.Done);
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
