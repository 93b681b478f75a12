using System.Text.Json;
using EcgOrleans.Client.Commands.Hosting;
using EcgOrleans.Tests;

namespace EcgOrleans.EndToEnd.Tests;

/// <summary><c>ecg scale</c>: silo processes started, measured and stopped; the table's figures land in scale.json and scale.png.</summary>
[Trait("Category", "Cluster")]
public sealed class ScaleTests
{
    [Fact]
    public async Task Scale_measures_each_silo_count_and_writes_its_report_and_plot()
    {
        var output = Path.Combine(TestData.NewTempDirectory("ecg-scale"), "out");

        Assert.Equal(0, await Cli.RunAsync("scale", "--silos", "1,2", "--models", TestModels.Folder(DemoCommand.Models), "--out", output,
            "--records-count", "3", "--seconds", "60"));

        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "scale.json"))).RootElement;
        var points = report.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([1, 2], points.Select(p => p.GetProperty("silos").GetInt32()));
        Assert.All(points, p =>
        {
            Assert.True(p.GetProperty("beatsPerSecond").GetDouble() > 0);
            Assert.Equal(p.GetProperty("silos").GetInt32(), p.GetProperty("siloCpuSeconds").GetArrayLength());
            Assert.All(p.GetProperty("siloCpuSeconds").EnumerateArray(), c => Assert.True(c.GetDouble() > 0));
            Assert.True(p.GetProperty("messagesPerBeat").GetDouble() > 0);
            Assert.True(p.GetProperty("batchP99Ms").GetDouble() >= p.GetProperty("batchP50Ms").GetDouble());
        });
        // Same records, same beats, whatever the silo count.
        Assert.Single(points.Select(p => p.GetProperty("beats").GetInt64()).Distinct());
        // Two silos must talk to each other; one silo only answers its client.
        Assert.True(points[1].GetProperty("remoteMessagesPerBeat").GetDouble() > points[0].GetProperty("remoteMessagesPerBeat").GetDouble());
        Assert.Equal(6, report.GetProperty("projection").GetProperty("machines").GetArrayLength());
        var png = File.ReadAllBytes(Path.Combine(output, "scale.png"));
        Assert.True(png.Length > 10_000 && png[0] == 0x89);
    }
}
