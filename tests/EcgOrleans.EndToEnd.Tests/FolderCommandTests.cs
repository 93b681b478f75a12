using System.Text.Json;
using EcgOrleans.Client;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary>
/// The commands that go over a folder of records, on a folder with bad records in it (a cut signal file, a missing
/// annotation file) and on records resampled to another rate.
/// </summary>
[Trait("Category", "Data")]
public sealed class FolderCommandTests : IDisposable
{
    private readonly string _root = TestData.NewTempDirectory("ecg-folder");

    public FolderCommandTests()
    {
        // 100 and 208 are whole; 101's signal file is cut; 103 has no annotation file.
        Bad = Directory.CreateDirectory(Path.Combine(_root, "bad")).FullName;
        foreach (var record in new[] { "100", "101", "103", "208" })
        foreach (var extension in new[] { "hea", "dat", "atr" })
            File.Copy(Path.Combine(TestData.MitBihDirectory, $"{record}.{extension}"), Path.Combine(Bad, $"{record}.{extension}"));
        using (var dat = File.OpenWrite(Path.Combine(Bad, "101.dat"))) dat.SetLength(100_000);
        File.Delete(Path.Combine(Bad, "103.atr"));
    }

    private string Bad { get; }

    private static string Checkpoint => Path.Combine(TestData.RepositoryRoot, "models", "kachuee-window-ds1.ckpt");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Runs a command, returning its exit code and what it printed on standard output (JSON).</summary>
    private static async Task<(int Code, JsonElement Json)> JsonOfAsync(params string[] args)
    {
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            var code = await EcgApp.Create(propagateExceptions: true).RunAsync(args, CancellationToken.None).WaitAsync(Cli.Limit);
            return (code, JsonDocument.Parse(captured.ToString()).RootElement);
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    private static List<string> Refused(JsonElement json) =>
        [.. json.GetProperty("refused").EnumerateArray().Select(r => $"{r.GetProperty("record").GetString()} {r.GetProperty("file").GetString()}")];

    private static long Annotated(string folder, string record) => RecordBeats.Marks(WfdbRecord.Read(folder, record).Annotations).Length;

    [Fact]
    public async Task Beats_stops_at_a_bad_record_naming_it_and_with_keep_going_lists_it_and_exits_3()
    {
        var e = await Assert.ThrowsAsync<WfdbFormatException>(() => Cli.RunAsync("beats", "--data", Bad));
        Assert.StartsWith("record 101, file 101.dat, number of samples:", e.Message);

        var (code, json) = await JsonOfAsync("beats", "--data", Bad, "--keep-going", "--json");

        Assert.Equal(3, code);
        Assert.Equal(["101 101.dat"], Refused(json));
        Assert.StartsWith("number of samples: the header counts 650000 samples", json.GetProperty("refused")[0].GetProperty("reason").GetString());
        Assert.Equal(["100", "103", "208"], json.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("record").GetString()));
        Assert.Equal(Annotated(Bad, "100") + Annotated(Bad, "208"), json.GetProperty("total").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Qrs_refuses_a_record_without_reference_beats_and_scores_the_others()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => Cli.RunAsync("qrs", "--data", Bad, "--records", "100,103"));
        Assert.Equal("record 103, file 103.atr: not found: no reference beats to score detections against", e.Message);

        var (code, json) = await JsonOfAsync("qrs", "--data", Bad, "--keep-going", "--json");

        Assert.Equal(3, code);
        Assert.Equal(["101 101.dat", "103 103.atr"], Refused(json));
        Assert.Equal(["100", "208"], json.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("record").GetString()));
        Assert.True(json.GetProperty("gross").GetProperty("sensitivity").GetDouble() > 0.99);
    }

    [Fact]
    public async Task Evaluate_scores_a_folder_that_is_not_MIT_BIH_and_keeps_going_past_its_bad_records()
    {
        var e = await Assert.ThrowsAsync<WfdbFormatException>(() => Cli.RunAsync("evaluate", "--data", Bad, "--checkpoint", Checkpoint));
        Assert.Contains("record 101, file 101.dat", e.Message);

        var (code, json) = await JsonOfAsync("evaluate", "--data", Bad, "--checkpoint", Checkpoint, "--keep-going", "--json");

        Assert.Equal(3, code);
        Assert.Equal(["101 101.dat", "103 103.atr"], Refused(json));
        Assert.Equal("all", json.GetProperty("split").GetString());
        Assert.Equal(["100", "208"], json.GetProperty("records").EnumerateArray().Select(r => r.GetString()));
        var byRecord = json.GetProperty("byRecord");
        Assert.Equal(["100", "208"], byRecord.EnumerateObject().Select(p => p.Name));
        var beats = json.GetProperty("result").GetProperty("beats").GetInt64();
        Assert.Equal(byRecord.EnumerateObject().Sum(p => p.Value.GetProperty("beats").GetInt64()), beats);
        Assert.InRange(beats, Annotated(Bad, "100") + Annotated(Bad, "208") - 4, Annotated(Bad, "100") + Annotated(Bad, "208"));
    }

    [Fact]
    public async Task Records_resampled_to_250_Hz_are_evaluated_there_and_score_as_at_360_Hz()
    {
        var resampled = Path.Combine(_root, "250");
        Assert.Equal(0, await Cli.RunAsync("resample", "--data", TestData.MitBihDirectory, "--records", "200,233", "--to", "250", "--out", resampled));
        var copy = WfdbRecord.Read(resampled, "233");
        Assert.Equal(250, copy.Header.SamplingFrequency);
        Assert.Equal(Annotated(TestData.MitBihDirectory, "233"), Annotated(resampled, "233"));

        // DS2 records with many V beats: unseen by the checkpoint, trained on DS1.
        var (_, at250) = await JsonOfAsync("evaluate", "--data", resampled, "--records", "200,233", "--checkpoint", Checkpoint, "--json");
        var (_, at360) = await JsonOfAsync("evaluate", "--data", TestData.MitBihDirectory, "--records", "200,233", "--checkpoint", Checkpoint, "--json");

        Assert.Equal([250.0], at250.GetProperty("samplingFrequencies").EnumerateArray().Select(f => f.GetDouble()));
        Assert.Equal("records", at250.GetProperty("split").GetString());
        var (v250, v360) = (VFigures(at250), VFigures(at360));
        Assert.True(v360.Sensitivity > 0.8, $"V Se at 360 Hz {v360.Sensitivity}");
        Assert.InRange(v250.Sensitivity, v360.Sensitivity - 0.03, v360.Sensitivity + 0.03);
        Assert.InRange(v250.Predictivity, v360.Predictivity - 0.03, v360.Predictivity + 0.03);
    }

    private static (double Sensitivity, double Predictivity) VFigures(JsonElement report)
    {
        var v = report.GetProperty("result").GetProperty("classes")[(int)AamiClass.V];
        return (v.GetProperty("sensitivity").GetDouble(), v.GetProperty("positivePredictivity").GetDouble());
    }

    [Fact]
    public async Task Ingest_in_process_keeps_going_past_a_bad_record_and_writes_the_run()
    {
        var output = Path.Combine(_root, "run");

        var code = await Cli.RunAsync("ingest", "--in-process", "--run", "folder", "--data", Bad, "--records", "100,101", "--keep-going", "--out", output);

        Assert.Equal(3, code);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json"))).RootElement;
        Assert.Equal(1, report.GetProperty("records").GetInt32());
        Assert.Equal(["101 101.dat"], Refused(report));
        var expected = Aami.Classes.ToDictionary(c => c.ToString(), c => (long)RecordBeats.Marks(WfdbRecord.Read(Bad, "100").Annotations).Count(m => m.Reference == c));
        var counts = report.GetProperty("referenceCounts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(expected, counts);
        // Each confusion row holds the beats of its reference class; every beat is counted once.
        var rows = report.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Sum(n => n.GetInt64())).ToList();
        Assert.Equal(Aami.Classes.Select(c => expected[c.ToString()]), rows);
        Assert.Equal(expected.Values.Sum(), report.GetProperty("beats").GetInt64());
        Assert.Contains("reference/N", report.GetProperty("maps").GetProperty("runs")[0].GetProperty("maps").EnumerateArray().Select(m => m.GetProperty("key").GetString()));
        Assert.True(new FileInfo(Path.Combine(output, "folder", "reference_N.png")).Length > 0);
    }

    [Fact]
    public async Task Ingest_takes_synthetic_records_as_beats_does()
    {
        var output = Path.Combine(_root, "synthetic");

        Assert.Equal(0, await Cli.RunAsync("ingest", "--in-process", "--run", "synth", "--synthetic", "--records-count", "2", "--seconds", "40", "--out", output));

        var source = new SyntheticSource(seed: 1, records: 2, seconds: 40);
        var expected = source.Records.Sum(r => RecordBeats.Marks(source.Load(r).Annotations).Length);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json"))).RootElement;
        Assert.Equal("synthetic", report.GetProperty("dataset").GetString());
        Assert.Equal(expected, report.GetProperty("beats").GetInt64());
        Assert.Equal(2, await Cli.RunAsync("ingest", "--in-process", "--run", "nothing"));
    }
}
