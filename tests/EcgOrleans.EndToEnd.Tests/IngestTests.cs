using EcgOrleans.Client.Cluster;
using EcgOrleans.Client.Ingestion;
using EcgOrleans.Client.Maps;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using EcgOrleans.Signal.Synthetic;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary>The client's record uploader against an in-process silo: every annotated beat lands in its reference class map once.</summary>
[Collection(SiloCollection.Name)]
[Trait("Category", "Data")]
public sealed class IngestTests(SiloFixture silo)
{
    private static Dictionary<string, long> AamiCounts(WfdbRecord record) =>
        Aami.Classes.ToDictionary(c => c.ToString(), c => (long)RecordBeats.Marks(record.Annotations).Count(m => m.Reference == c));

    private async Task<Dictionary<string, long>> ReferenceCounts(string run) =>
        ClassCounts.Of((await RunMaps.ReadAsync(silo.Grains, run, MapSelection.All)).Maps, ClassMapGrouping.Reference);

    [Fact]
    public async Task Without_a_terminal_an_ingest_prints_a_line_per_finished_record_and_no_bars()
    {
        var run = await silo.NewRunAsync("log-lines");
        var source = new SyntheticSource(seed: 4, records: 3, seconds: 30);
        var log = new StringWriter();
        var original = Spectre.Console.AnsiConsole.Console;
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            Interactive = Spectre.Console.InteractionSupport.No,
            Out = new Spectre.Console.AnsiConsoleOutput(log),
        });
        SourceIngestion.Summary summary;
        try
        {
            summary = await SourceIngestion.IngestAsync(silo.Grains, run.Name, source, parallel: 2, chunkSeconds: 10, CancellationToken.None);
        }
        finally
        {
            Spectre.Console.AnsiConsole.Console = original;
        }

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('s')).ToList();
        Assert.Equal(["s001", "s002", "s003"], lines.Where(l => l.Contains(" done: ")).Select(l => l[..4]).Order());
        Assert.Contains(lines, l => l.Contains("; 3/3 records done, ") && l.Contains(" 100% after "));
        Assert.DoesNotContain(lines, l => l.Contains(": 0%") || l.Contains('━'));
        Assert.Equal(3, summary.Records);
    }

    [Fact]
    public async Task A_synthetic_record_uploaded_counts_its_AAMI_beats_exactly()
    {
        var run = await silo.NewRunAsync("upload");
        var record = new SyntheticSource(seed: 5, records: 2, seconds: 90).Load("s002");
        var uploader = new RecordUploader(silo.Grains, ClientResilience.Create());

        var result = await uploader.UploadAsync(run.Name, "synthetic", new ChunkPlan(record, 7200));

        var expected = AamiCounts(record);
        Assert.Equal(expected.Values.Sum(), result.Beats);
        Assert.Equal(expected, await ReferenceCounts(run.Name));
    }

    [Fact]
    public async Task An_MIT_BIH_record_uploaded_in_two_sessions_counts_its_AAMI_beats_exactly()
    {
        var run = await silo.NewRunAsync("mitdb");
        var record = Trimmed(WfdbRecord.Read(TestData.MitBihDirectory, "208"), seconds: 180);
        var plan = new ChunkPlan(record, 3600);

        // The first session stops after its first acknowledged chunk; the second carries on where the grain stands.
        using var stop = new CancellationTokenSource();
        var first = new RecordUploader(silo.Grains, ClientResilience.Create());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.UploadAsync(run.Name, "mitdb", plan, _ => stop.Cancel(), stop.Token));
        var second = await new RecordUploader(silo.Grains, ClientResilience.Create()).UploadAsync(run.Name, "mitdb", plan);

        var expected = AamiCounts(record);
        Assert.True(expected["V"] > 0 && expected["F"] > 0, "record 208 has ventricular and fusion beats in its first minutes");
        Assert.Equal(expected.Values.Sum(), second.Beats);
        Assert.True(second.Chunks < plan.Count, $"the second session sent {second.Chunks} of {plan.Count} chunks: it resumed");
        Assert.Equal(expected, await ReferenceCounts(run.Name));
    }

    private static WfdbRecord Trimmed(WfdbRecord record, int seconds)
    {
        var n = (int)(seconds * record.Header.SamplingFrequency);
        return new WfdbRecord(record.Header with { SampleCount = n }, [.. record.Digital.Select(d => d[..n])], [.. record.Annotations.Where(a => a.Sample < n)]);
    }
}
