using EcgOrleans.Abstractions;
using EcgOrleans.Client.Rendering;
using ScottPlot;

namespace EcgOrleans.Client.Tests;

/// <summary>The figures' labels can be read: rhythm-feature names never run into each other, and the average beat's shape is not lost under its spread.</summary>
public sealed class MapLabelsTests
{
    private static readonly string[] SixFeatures = ["pre-RR/avg", "post-RR/avg", "local-RR/avg", "avg-RR (s)", "amplitude/avg", "template distance"];

    /// <summary>A window map (256 samples) with six rhythm features: a beat of height 1 whose beats spread by 2, as a V class can.</summary>
    private static ClassMapView WideSpreadMap(string key = "reference/V", long count = 400, string run = "a")
    {
        var saliency = new float[256 + 6];
        var beat = new float[256 + 6];
        for (var i = 0; i < 256; i++)
        {
            beat[i] = (float)Math.Exp(-Math.Pow((i - 96) / 8.0, 2));
            saliency[i] = 0.1f * beat[i];
        }
        for (var i = 256; i < saliency.Length; i++) (saliency[i], beat[i]) = (0.3f + 0.05f * (i - 256), 1);
        var sd = beat.Select(_ => 2f).ToArray();
        return new ClassMapView(run, key, count, 256, saliency, [.. saliency.Select(_ => 0.05f)], beat, sd, count, DateTimeOffset.UnixEpoch);
    }

    /// <summary>Where each left-axis tick label is drawn, in pixels, after rendering the plot at the size a figure gives it.</summary>
    private static List<(string Text, PixelRect Box)> LeftLabels(Plot plot, int width, int height)
    {
        plot.RenderInMemory(width, height);
        var data = plot.RenderManager.LastRender.DataRect;
        var style = plot.Axes.Left.TickLabelStyle;
        var labels = new List<(string, PixelRect)>();
        foreach (var tick in plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor && !string.IsNullOrEmpty(t.Label)))
        {
            using var paint = Paint.NewDisposablePaint();
            var size = style.Measure(tick.Label, paint).Size;
            var y = plot.GetPixel(new Coordinates(0, tick.Position)).Y;
            var right = data.Left - plot.Axes.Left.MajorTickStyle.Length;
            labels.Add((tick.Label, new PixelRect(right - size.Width, right, y + size.Height / 2, y - size.Height / 2)));
        }
        return labels;
    }

    /// <summary>The plot's title, centred over its data area (as drawn at the last render), stays inside the plot's width.</summary>
    private static void AssertTitleFits(Plot plot, int width)
    {
        using var paint = Paint.NewDisposablePaint();
        var title = plot.Axes.Title.Label;
        Assert.False(string.IsNullOrEmpty(title.Text));
        var half = title.Measure(title.Text, paint).Width / 2;
        var centre = plot.RenderManager.LastRender.DataRect.HorizontalCenter;
        Assert.True(centre - half >= 0 && centre + half <= width,
            $"title '{title.Text}' spans {centre - half:0} to {centre + half:0} px in a plot of {width} px");
    }

    private static void AssertReadable(List<(string Text, PixelRect Box)> labels, IReadOnlyList<string> expected, int width)
    {
        Assert.Equal(expected, labels.Select(l => l.Text).ToList());
        for (var i = 0; i < labels.Count; i++)
        {
            var box = labels[i].Box;
            Assert.True(box.Left >= 0 && box.Right <= width, $"'{labels[i].Text}' runs off the figure: {box}");
            for (var j = i + 1; j < labels.Count; j++)
            {
                var other = labels[j].Box;
                var apart = box.Bottom <= other.Top || other.Bottom <= box.Top || box.Right <= other.Left || other.Right <= box.Left;
                Assert.True(apart, $"'{labels[i].Text}' {box} overlaps '{labels[j].Text}' {other}");
            }
        }
    }

    [Fact]
    public void Rhythm_feature_names_are_whole_and_apart_in_a_single_map_figure()
    {
        var plot = new Plot();
        MapPlots.DrawRhythm(plot, [("a", WideSpreadMap())]);

        // The rhythm chart takes a quarter of the figure's width.
        var width = MapPlots.MapWidth / 4;
        AssertReadable(LeftLabels(plot, width, MapPlots.MapHeight), SixFeatures, width);
        AssertTitleFits(plot, width);
    }

    [Fact]
    public void Rhythm_feature_names_are_whole_and_apart_in_a_comparison_and_its_difference()
    {
        var a = WideSpreadMap();
        var b = WideSpreadMap(count: 90, run: "b");
        var width = MapPlots.ComparisonWidth / 4;

        var both = new Plot();
        MapPlots.DrawRhythm(both, [("A", a), ("B", b)]);
        AssertReadable(LeftLabels(both, width, MapPlots.ComparisonHeight * 2 / 3), SixFeatures, width);
        AssertTitleFits(both, width);

        var difference = new Plot();
        MapPlots.DrawRhythmDifference(difference, MapComparison.Difference(new MapPair("reference/V", a, b)));
        AssertReadable(LeftLabels(difference, width, MapPlots.ComparisonHeight / 3), SixFeatures, width);
        AssertTitleFits(difference, width);
    }

    [Fact]
    public void The_band_around_the_average_beat_is_its_standard_error()
    {
        var (lower, upper) = MapPlots.StandardErrorBand([1, -1], [2, 4], count: 400);

        Assert.Equal([0.9, -1.2], lower, (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal([1.1, -0.8], upper, (x, y) => Math.Abs(x - y) < 1e-9);
    }

    [Fact]
    public void An_average_beat_whose_beats_spread_twice_its_height_still_fills_a_third_of_its_axis()
    {
        var map = WideSpreadMap();
        var plot = new Plot();

        MapPlots.DrawBeat(plot, map, new BeatAxis(360, 96), scale: 0.1, "a · reference/V");

        var limits = plot.Axes.GetLimits();
        var mean = map.BeatMean.Take(256).ToArray();
        var share = (mean.Max() - mean.Min()) / (limits.Top - limits.Bottom);
        Assert.True(share >= 1 / 3.0, $"the beat spans {share:P0} of the y axis");
        var legend = plot.Legend.GetItems().Select(i => i.LabelText).ToList();
        Assert.Contains("± 1 SE of the average (SD/√n)", legend);
        Assert.Contains("SD across beats", legend);
    }
}
