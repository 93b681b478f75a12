using System.Text.Json;
using EcgOrleans.Client.Commands.Hosting;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Sources;
using EcgOrleans.Tests;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary><c>ecg demo</c> from the command line to the files it writes, with its own in-process silo.</summary>
[Trait("Category", "Slow")]
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_writes_plots_and_a_report_whose_class_counts_are_the_records_annotations()
    {
        var output = Path.Combine(TestData.NewTempDirectory("ecg-demo"), "out");
        const int Records = 4;
        const double Seconds = 60;

        Assert.Equal(0, await Cli.RunAsync("demo", "--models", TestModels.Folder(DemoCommand.Models), "--out", output,
            "--records-count", Records.ToString(), "--seconds", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var expected = AamiCounts(new SyntheticSource(1, Records, Seconds));
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, DemoCommand.ReportFile))).RootElement;
        Assert.Equal("synthetic", report.GetProperty("dataset").GetString());
        Assert.Equal(expected, Counts(report.GetProperty("referenceCounts")));
        Assert.Equal(Records, report.GetProperty("records").GetArrayLength());

        var runs = report.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(DemoCommand.Models, runs.Select(r => r.GetProperty("model").GetString()!.Split('@')[0]));
        foreach (var run in runs)
        {
            // Every annotated beat is scored once: by reference class the maps count exactly the records' beats.
            Assert.Equal(expected, Counts(run.GetProperty("referenceCounts")));
            Assert.Equal(expected.Values.Sum(), Counts(run.GetProperty("predictedCounts")).Values.Sum());
            Assert.Equal(expected.Values.Sum(), run.GetProperty("beats").GetInt64());
            Assert.True(run.GetProperty("beatsPerSecond").GetDouble() > 0);
        }

        var maps = report.GetProperty("maps");
        Assert.Equal(2, maps.GetProperty("runs").GetArrayLength());
        var differences = maps.GetProperty("differences").EnumerateArray().Select(d => d.GetProperty("key").GetString()).ToList();
        Assert.Contains("reference/V", differences);
        Assert.Contains("reference/Q", differences);
        Assert.True(report.GetProperty("timings").GetProperty("totalSeconds").GetDouble() > 0);

        var files = report.GetProperty("files").EnumerateArray().Select(f => Path.Combine(output, f.GetString()!)).ToList();
        var pngs = files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).ToList();
        // One plot per reference class of each run, one per predicted class, and each reference or predicted class side by side.
        Assert.True(pngs.Count >= 3 * expected.Count(c => c.Value > 0), $"{pngs.Count} plots");
        Assert.All(files, f => Assert.True(File.Exists(f) && new FileInfo(f).Length > 0, f));
        Assert.All(pngs, f => Assert.Equal((byte)0x89, File.ReadAllBytes(f)[0]));
        Assert.Contains(pngs, f => f.EndsWith(Path.Combine("kachuee-window-ds1-vs-resnet-window-ds1", "reference_V.png"), StringComparison.Ordinal));
    }

    private static Dictionary<string, long> AamiCounts(IRecordSource source)
    {
        var counts = Aami.Classes.ToDictionary(c => c.ToString(), _ => 0L);
        foreach (var record in source.Records)
        {
            foreach (var mark in RecordBeats.Marks(source.Load(record).Annotations)) counts[mark.Reference!.Value.ToString()]++;
        }
        return counts;
    }

    private static Dictionary<string, long> Counts(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
}
