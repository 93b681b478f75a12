using System.Buffers.Binary;
using EcgOrleans.Client.Rendering;
using EcgOrleans.Tests;

namespace EcgOrleans.Client.Tests;

public sealed class MapPlotsTests
{
    private static (int Width, int Height) PngSize(string path)
    {
        var header = new byte[24];
        using (var file = File.OpenRead(path)) file.ReadExactly(header);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a], header[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(header, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(20)));
    }

    [Fact]
    public void The_beat_axis_label_carries_the_wave_shares_and_nothing_off_a_time_axis()
    {
        var run = Maps.Run("r1", Maps.Window("reference/V", 42, peak: 96));
        var label = MapPlots.WaveLabel(MapFigures.WaveShares(run.Maps[0], BeatAxis.Of(run.Config)));

        Assert.Equal(" · saliency in P 0 % (−250..−120 ms), QRS 100 % (−60..+60 ms), T 0 % (+120..+400 ms)", label);
        Assert.Equal("", MapPlots.WaveLabel(MapFigures.WaveShares(run.Maps[0], BeatAxis.Samples)));
    }

    [Fact]
    public void A_map_is_written_as_a_png_of_the_expected_size()
    {
        var directory = TestData.NewTempDirectory("plots");
        var run = Maps.Run("r1", Maps.Window("reference/V", 42));

        var path = MapPlots.SaveMap(run, run.Maps[0], Path.Combine(directory, "v.png"), scale: 0.8);

        Assert.Equal((MapPlots.MapWidth, MapPlots.MapHeight), PngSize(path));
        Assert.True(new FileInfo(path).Length > 10_000, "a drawn figure, not an empty canvas");
    }

    [Fact]
    public void A_map_without_rhythm_features_is_drawn_without_the_bar_chart()
    {
        var directory = TestData.NewTempDirectory("plots");
        var map = Maps.View("reference/N", 5, [.. Enumerable.Range(0, 100).Select(i => i / 100f)]);
        var run = Maps.Run("r1", map) with { Config = Maps.Config("r1", "window", 100, 0) };

        var path = MapPlots.SaveMap(run, map, Path.Combine(directory, "n.png"), scale: 1);

        Assert.Equal((MapPlots.MapWidth, MapPlots.MapHeight), PngSize(path));
    }

    [Fact]
    public void Every_map_and_every_pair_gets_a_file_named_by_its_key()
    {
        var directory = TestData.NewTempDirectory("plots");
        var first = Maps.Run("a", Maps.Window("reference/N", 100), Maps.Window("cell/V-N", 3));
        var second = Maps.Run("b", Maps.Window("reference/N", 90, run: "b"));

        var files = MapPlots.SaveAll(first, second, directory);

        var relative = files.Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            Path.Combine("a-vs-b", "cell_V-N.png"), Path.Combine("a-vs-b", "reference_N.png"),
            Path.Combine("a", "cell_V-N.png"), Path.Combine("a", "reference_N.png"),
            Path.Combine("b", "reference_N.png"),
        ], relative);
        Assert.All(files.Where(f => f.Contains("-vs-")), f => Assert.Equal((MapPlots.ComparisonWidth, MapPlots.ComparisonHeight), PngSize(f)));
        Assert.All(files.Where(f => !f.Contains("-vs-")), f => Assert.Equal((MapPlots.MapWidth, MapPlots.MapHeight), PngSize(f)));
    }

    [Fact]
    public void Runs_of_different_representations_are_still_compared_side_by_side()
    {
        var directory = TestData.NewTempDirectory("plots");
        var window = Maps.Run("w", Maps.Window("reference/V", 10));
        var kachueeMap = Maps.View("reference/V", 10, [.. Enumerable.Repeat(0.1f, 187), .. Enumerable.Repeat(0.2f, 4)], waveformLength: 187, run: "k");
        var kachuee = Maps.Run("k", kachueeMap) with { Config = Maps.Config("k", "kachuee", 187, 4) };

        var files = MapPlots.SaveAll(window, kachuee, directory);

        Assert.Equal(3, files.Count);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0));
    }
}
