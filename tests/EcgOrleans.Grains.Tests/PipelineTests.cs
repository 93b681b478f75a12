using EcgOrleans.Abstractions;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;
using Orleans.Core.Internal;

namespace EcgOrleans.Grains.Tests;

/// <summary>Records through record, model and class-map grains on two silos, checked against the one-pass computation.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Data")]
[Trait("Category", "Slow")]
public sealed class PipelineTests(ClusterFixture fixture)
{
    private static readonly Lazy<WfdbRecord[]> Records = new(() =>
        [.. new[] { "100", "208", "232" }.Select(r => Trimmed(WfdbRecord.Read(TestData.MitBihDirectory, r), minutes: 6))]);

    private static readonly Lazy<Dictionary<string, ClassMapAccumulator>> Expected =
        new(() => OnePassMaps.Compute(TestModels.Checkpoint(), Records.Value));

    /// <summary>Two of the records without their annotations, as a monitor with no reference annotator sends them.</summary>
    private static readonly Lazy<WfdbRecord[]> Unannotated = new(() =>
        [.. Records.Value.Where(r => r.Name is "100" or "208").Select(r => new WfdbRecord(r.Header, r.Digital, []))]);

    private static readonly Lazy<Dictionary<string, ClassMapAccumulator>> ExpectedUnannotated =
        new(() => OnePassMaps.Compute(TestModels.Checkpoint(), Unannotated.Value, extract: RecordBeats.Detected));

    /// <summary>The first minutes of a record, so the tests stay quick.</summary>
    private static WfdbRecord Trimmed(WfdbRecord record, int minutes)
    {
        var n = (int)(minutes * 60 * record.Header.SamplingFrequency);
        var header = record.Header with { SampleCount = n };
        return new WfdbRecord(header, [.. record.Digital.Select(d => d[..n])], [.. record.Annotations.Where(a => a.Sample < n)]);
    }

    private IGrainFactory Grains => fixture.Grains;

    private async Task<string> NewRun()
    {
        var run = $"run-{Guid.NewGuid():N}"[..20];
        await Grains.GetGrain<IRunGrain>(run).Configure(new RunRequest("test-window"));
        return run;
    }

    private async Task AssertMapsEqualOnePass(string run, Dictionary<string, ClassMapAccumulator>? expected = null)
    {
        var info = await Grains.GetGrain<IRunGrain>(run).GetInfo();
        expected ??= Expected.Value;
        Assert.Equal(expected.Keys.Order(), info.ClassMaps.Order());
        foreach (var (key, accumulator) in expected)
        {
            var map = await Grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, key)).Get();
            Assert.Equal(accumulator.Count, map.Count);
            AssertClose(accumulator.SaliencyMean, map.SaliencyMean, key);
            AssertClose(accumulator.BeatMean, map.BeatMean, key);
            AssertClose(accumulator.SaliencyStandardDeviation(), map.SaliencySd, key);
        }
    }

    private static void AssertClose(double[] expected, float[] actual, string key)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst < 1e-5, $"{key}: largest difference {worst}");
    }

    [Fact]
    public async Task Class_maps_after_ingest_equal_the_one_pass_maps()
    {
        var run = await NewRun();

        await Task.WhenAll(Records.Value.Select(r => RecordDriver.StreamAsync(Grains, run, "mitdb", r, chunkSamples: 3600, flushEvery: 7)));

        await AssertMapsEqualOnePass(run);
        var info = await Grains.GetGrain<IRunGrain>(run).GetInfo();
        Assert.All(info.Records, r => Assert.True(r.Done));
        var reference = info.ClassMaps.Where(k => k.StartsWith("reference/", StringComparison.Ordinal));
        long total = 0;
        foreach (var key in reference) total += (await Grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, key)).Get()).Count;
        Assert.Equal(Records.Value.Sum(r => Signal.Beats.RecordBeats.Marks(r.Annotations).Length), total);
    }

    [Fact]
    public async Task Chunks_sent_twice_are_refused_and_not_counted_twice()
    {
        var run = await NewRun();
        var refused = 0;

        await Task.WhenAll(Records.Value.Select(r => RecordDriver.StreamAsync(Grains, run, "mitdb", r, chunkSamples: 5000,
            afterChunk: async (grain, plan, sequence) =>
            {
                var again = await Assert.ThrowsAsync<EcgRequestException>(() => grain.Append(plan.Chunk(sequence)));
                Assert.Equal(EcgRequestException.Codes.ChunkOutOfOrder, again.Code);
                Assert.Equal(sequence + 1, again.ExpectedSequence);
                Interlocked.Increment(ref refused);
            })));

        Assert.True(refused > 20);
        await AssertMapsEqualOnePass(run);
    }

    [Fact]
    public async Task A_progress_report_the_run_missed_is_made_again_when_the_client_comes_back()
    {
        var run = await NewRun();
        var record = Records.Value[0];
        await RecordDriver.StreamAsync(Grains, run, "mitdb", record, chunkSamples: 50_000);
        var grain = Grains.GetGrain<IRecordGrain>(GrainKeys.Record(run, "mitdb", record.Name));
        var done = await grain.GetProgress();
        Assert.True(done.Done);

        // What a silo lost between the record's commit and its report to the run leaves behind: the run still holds
        // the record's first progress, and the record grain that would have reported is gone.
        var runGrain = Grains.GetGrain<IRunGrain>(run);
        await runGrain.ReportProgress(done with { NextSequence = 1, CommittedSequence = 0, Done = false });
        Assert.DoesNotContain((await runGrain.GetInfo()).Records, r => r.Done);
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        // A resuming client asks the record where it stands; the run hears the truth on the way.
        Assert.True((await grain.GetProgress()).Done);
        var info = await runGrain.GetInfo();
        Assert.Equal(done, Assert.Single(info.Records));
    }

    [Fact]
    public async Task Deactivating_grains_mid_ingest_loses_nothing_and_counts_nothing_twice()
    {
        var run = await NewRun();
        var deactivator = new Deactivator(Grains, GrainKeys.ClassMap(run, "reference/N"));

        var resumes = await Task.WhenAll(Records.Value.Select(r => RecordDriver.StreamAsync(Grains, run, "mitdb", r, chunkSamples: 2000,
            afterChunk: (grain, _, sequence) => sequence % 9 == 4 ? deactivator.After(grain, sequence) : Task.CompletedTask)));

        Assert.True(deactivator.Count > 10, $"{deactivator.Count} deactivations");
        Assert.True(resumes.Sum() > 0, "a deactivated record grain resumes from its last commit point");
        await AssertMapsEqualOnePass(run);
    }

    [Fact]
    public async Task A_record_grain_deactivated_after_every_live_commit_leaves_every_map_it_fed_listed_by_the_run()
    {
        // A live record commits on every chunk and reports to its run only every few seconds; here it is deactivated
        // after each commit, long before it would report. The maps must still be listed: readers find maps there.
        var run = await NewRun();
        var record = Records.Value[1];
        var deactivations = 0;
        await RecordDriver.StreamAsync(Grains, run, "mitdb", record, chunkSamples: 1440, flushEvery: 1,
            afterChunk: async (grain, _, _) =>
            {
                deactivations++;
                await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
            });

        Assert.True(deactivations > 50, $"{deactivations} deactivations");
        await AssertMapsEqualOnePass(run, OnePassMaps.Compute(TestModels.Checkpoint(), [record]));
    }

    [Fact]
    public async Task Records_without_annotations_are_detected_and_counted_once_despite_resends_and_deactivations()
    {
        var run = await NewRun();
        var deactivator = new Deactivator(Grains, GrainKeys.ClassMap(run, "predicted/N"));
        var refused = 0;

        var resumes = await Task.WhenAll(Unannotated.Value.Select(r => RecordDriver.StreamAsync(Grains, run, "mitdb", r, chunkSamples: 2000,
            afterChunk: async (grain, plan, sequence) =>
            {
                var again = await Assert.ThrowsAsync<EcgRequestException>(() => grain.Append(plan.Chunk(sequence)));
                Assert.Equal(EcgRequestException.Codes.ChunkOutOfOrder, again.Code);
                Interlocked.Increment(ref refused);
                if (sequence % 9 == 4) await deactivator.After(grain, sequence);
            })));

        Assert.True(refused > 100 && deactivator.Count > 10, $"{refused} chunks re-sent, {deactivator.Count} deactivations");
        Assert.True(resumes.Sum() > 0, "a deactivated record grain resumes from its last commit point");
        var info = await Grains.GetGrain<IRunGrain>(run).GetInfo();
        Assert.All(info.Records, r => Assert.True(r.Done));
        Assert.NotEmpty(info.ClassMaps);
        Assert.All(info.ClassMaps, key => Assert.StartsWith("predicted/", key)); // no reference, so no reference or cell maps
        long total = 0;
        foreach (var key in info.ClassMaps) total += (await Grains.GetGrain<IClassMapGrain>(GrainKeys.ClassMap(run, key)).Get()).Count;
        var detections = Unannotated.Value.Sum(r => QrsDetector.Detect(r.Physical(r.PrimaryLead), r.Header.SamplingFrequency).Count);
        Assert.Equal(detections, total);
        Assert.Equal(detections, info.BeatsScored);
        await AssertMapsEqualOnePass(run, ExpectedUnannotated.Value);
    }

    [Fact]
    public async Task A_run_with_saliency_towards_the_reference_class_refuses_records_without_annotations()
    {
        var run = $"run-{Guid.NewGuid():N}"[..20];
        await Grains.GetGrain<IRunGrain>(run).Configure(new RunRequest("test-window", Target: "reference"));
        var grain = Grains.GetGrain<IRecordGrain>(GrainKeys.Record(run, "mitdb", "100"));

        var refused = await Assert.ThrowsAsync<EcgRequestException>(() => grain.Append(new ChunkPlan(Unannotated.Value[0], 3600).Chunk(0)));

        Assert.Equal(EcgRequestException.Codes.InvalidChunk, refused.Code);
        Assert.Contains("reference class", refused.Message);
        Assert.Equal(0, (await grain.GetProgress()).NextSequence);
    }

    [Fact]
    public async Task Bad_requests_get_clear_errors_and_the_silos_keep_serving()
    {
        var unknownRun = await Assert.ThrowsAsync<EcgRequestException>(() =>
            Grains.GetGrain<IRecordGrain>(GrainKeys.Record("no-such-run", "mitdb", "100")).Append(new SignalChunk(0, 360, [0f], null, false)));
        Assert.Equal(EcgRequestException.Codes.UnknownRun, unknownRun.Code);
        Assert.Contains("no-such-run", unknownRun.Message);

        var unknownModel = await Assert.ThrowsAsync<EcgRequestException>(() =>
            Grains.GetGrain<IRunGrain>("bad-model-run").Configure(new RunRequest("no-such-model@3")));
        Assert.Equal(EcgRequestException.Codes.UnknownModel, unknownModel.Code);

        var badMethod = await Assert.ThrowsAsync<EcgRequestException>(() =>
            Grains.GetGrain<IRunGrain>("bad-method-run").Configure(new RunRequest("test-window", "magic")));
        Assert.Contains("magic", badMethod.Message);

        var run = await NewRun();
        var conflict = await Assert.ThrowsAsync<EcgRequestException>(() => Grains.GetGrain<IRunGrain>(run).Configure(new RunRequest("test-kachuee")));
        Assert.Equal(EcgRequestException.Codes.RunConflict, conflict.Code);

        var grain = Grains.GetGrain<IRecordGrain>(GrainKeys.Record(run, "mitdb", "x1"));
        var nan = await Assert.ThrowsAsync<EcgRequestException>(() => grain.Append(new SignalChunk(0, 360, [0f, float.NaN], [], false)));
        Assert.Equal(EcgRequestException.Codes.InvalidChunk, nan.Code);
        Assert.Contains("sample 1", nan.Message);
        var future = await Assert.ThrowsAsync<EcgRequestException>(() => grain.Append(new SignalChunk(4, 360, [0f], [], false)));
        Assert.Equal((EcgRequestException.Codes.ChunkOutOfOrder, 0L), (future.Code, future.ExpectedSequence));

        // Nothing of the refused chunks was applied: the record still expects chunk 0, and a whole record goes through.
        Assert.Equal(0, (await grain.GetProgress()).NextSequence);
        await RecordDriver.StreamAsync(Grains, run, "mitdb", Records.Value[0], 3600);
        Assert.True((await Grains.GetGrain<IRunGrain>(run).GetInfo()).BeatsScored > 0);
    }
}
