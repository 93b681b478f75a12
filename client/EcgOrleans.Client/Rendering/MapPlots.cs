using System.Globalization;
using EcgOrleans.Abstractions;
using EcgOrleans.Client.Maps;
using ScottPlot;
using ScottPlot.MultiplotLayouts;

namespace EcgOrleans.Client.Rendering;

/// <summary>
/// Class maps as PNG figures (ScottPlot): the average beat drawn as a line coloured by its mean saliency, with a
/// ±1 standard-error band, the beats' spread as a dashed line, and the saliency again as a colour band under it
/// and a colour bar; the rhythm features' saliency as named horizontal bars; and, for two runs, both beats and
/// their saliency difference per sample.
/// </summary>
internal static class MapPlots
{
    public const int MapWidth = 1100;
    public const int MapHeight = 560;
    public const int ComparisonWidth = 1200;
    public const int ComparisonHeight = 1000;

    /// <summary>Writes one PNG per selected map of <paramref name="run"/> into <paramref name="directory"/>/run/, and with a second run, one comparison per map into run-vs-other/.</summary>
    public static IReadOnlyList<string> SaveAll(RunMaps run, RunMaps? compare, string directory)
    {
        var files = new List<string>();
        var runs = compare is null ? [run] : new[] { run, compare };
        var scale = MapFigures.SaliencyScale(runs.SelectMany(r => r.Maps));
        foreach (var r in runs)
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory, r.Name)).FullName;
            foreach (var map in r.Maps) files.Add(SaveMap(r, map, Path.Combine(folder, FileName(map.Key)), scale));
        }
        if (compare is not null)
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory, $"{run.Name}-vs-{compare.Name}")).FullName;
            foreach (var pair in MapComparison.Pair(run.Maps, compare.Maps))
                files.Add(SaveComparison(run, compare, pair, Path.Combine(folder, FileName(pair.Key)), scale));
        }
        return files;
    }

    /// <summary>"reference/V" → "reference_V.png".</summary>
    public static string FileName(string key) => key.Replace('/', '_') + ".png";

    public static string SaveMap(RunMaps run, ClassMapView map, string path, double scale)
    {
        var figure = new Multiplot();
        var layout = new CustomGrid();
        var beat = NewPlot();
        DrawBeat(beat, map, BeatAxis.Of(run.Config), scale, $"{run.Name} · {map.Key} · {Beats(map.Count)}");
        figure.AddPlot(beat);
        var columns = MapFigures.RhythmLength(map) > 0 ? 4 : 1;
        layout.Set(beat, new GridCell(0, 0, 1, columns, 1, Math.Max(1, columns - 1)));
        if (columns > 1)
        {
            var rhythm = NewPlot();
            DrawRhythm(rhythm, [(run.Name, map)]);
            figure.AddPlot(rhythm);
            layout.Set(rhythm, new GridCell(0, 3, 1, 4, 1, 1));
        }
        figure.Layout = layout;
        figure.SavePng(path, MapWidth, MapHeight);
        return path;
    }

    public static string SaveComparison(RunMaps first, RunMaps second, MapPair pair, string path, double scale)
    {
        var difference = MapComparison.Difference(pair);
        var figure = new Multiplot();
        var layout = new CustomGrid();
        var withRhythm = pair.First is { } f && MapFigures.RhythmLength(f) > 0 || pair.Second is { } s && MapFigures.RhythmLength(s) > 0;
        var columns = withRhythm ? 4 : 1;
        var span = Math.Max(1, columns - 1);

        Plot Panel(int row, int column, int rowSpan, int columnSpan)
        {
            var plot = NewPlot();
            figure.AddPlot(plot);
            layout.Set(plot, new GridCell(row, column, 3, columns, rowSpan, columnSpan));
            return plot;
        }

        // The beat panels name their runs A and B; the narrow rhythm charts then need only the letters.
        foreach (var (run, map, row, letter) in new[] { (first, pair.First, 0, "A"), (second, pair.Second, 1, "B") })
        {
            var panel = Panel(row, 0, 1, span);
            if (map is { Count: > 0 }) DrawBeat(panel, map, BeatAxis.Of(run.Config), scale, $"{letter} = {run.Name} · {pair.Key} · {Beats(map.Count)}");
            else Empty(panel, $"{letter} = {run.Name} · {pair.Key} · no beats");
        }
        DrawDifference(Panel(2, 0, 1, span), difference, BeatAxis.Of(first.Config), $"saliency A − B");
        if (withRhythm)
        {
            var maps = new List<(string, ClassMapView)>();
            if (pair.First is { Count: > 0 } a) maps.Add(("A", a));
            if (pair.Second is { Count: > 0 } b) maps.Add(("B", b));
            DrawRhythm(Panel(0, 3, 2, 1), maps);
            DrawRhythmDifference(Panel(2, 3, 1, 1), difference);
        }
        figure.Layout = layout;
        figure.SavePng(path, ComparisonWidth, ComparisonHeight);
        return path;
    }

    /// <summary>
    /// The class average, its line coloured by mean saliency, with a ±1 standard-error band (how well the average is
    /// known) and the beats' spread (SD) as a dashed line on the same axis: a ±SD band is often taller than the beat
    /// itself and hides its shape.
    /// </summary>
    internal static void DrawBeat(Plot plot, ClassMapView map, BeatAxis axis, double scale, string title)
    {
        var mean = ToDoubles(MapFigures.Waveform(map, map.BeatMean));
        var sd = ToDoubles(MapFigures.Waveform(map, map.BeatSd));
        var saliency = ToDoubles(MapFigures.Waveform(map, map.SaliencyMean));
        var xs = axis.Times(mean.Length);
        var (lower, upper) = StandardErrorBand(mean, sd, map.Count);

        var band = plot.Add.FillY(xs, lower, upper);
        band.FillColor = Colors.Gray.WithAlpha(0.35);
        band.LineWidth = 0;
        band.LegendText = "± 1 SE of the average (SD/√n)";

        var spread = plot.Add.ScatterLine(xs, sd);
        spread.Color = Colors.DimGray;
        spread.LineWidth = 1.2f;
        spread.LinePattern = LinePattern.Dashed;
        spread.LegendText = "SD across beats";

        // The line takes the colour of the saliency of the samples it joins.
        for (var i = 0; i + 1 < mean.Length; i++)
        {
            var segment = plot.Add.Line(xs[i], mean[i], xs[i + 1], mean[i + 1]);
            segment.LineWidth = 3;
            segment.LineColor = ToColor(ColourMaps.Heat((saliency[i] + saliency[i + 1]) / 2 / scale));
            segment.MarkerSize = 0;
        }

        // The saliency again as a colour band under the beat, with a colour bar to read it by.
        var low = Math.Min(lower.Min(), sd.Min());
        var high = Math.Max(upper.Max(), sd.Max());
        var range = Math.Max(high - low, 1e-6);
        var step = xs.Length > 1 ? xs[1] - xs[0] : 1;
        // Two identical rows: ScottPlot 5.1 draws nothing for a one-row heatmap given an extent.
        var intensities = new double[2, saliency.Length];
        for (var i = 0; i < saliency.Length; i++) intensities[0, i] = intensities[1, i] = saliency[i];
        var heat = plot.Add.Heatmap(intensities);
        heat.Colormap = new HeatColormap();
        heat.ManualRange = new ScottPlot.Range(0, scale);
        heat.Extent = new CoordinateRect(xs[0] - step / 2, xs[^1] + step / 2, low - 0.13 * range, low - 0.04 * range);
        plot.Add.ColorBar(heat, Edge.Right);

        plot.Add.VerticalLine(0, 1, Colors.Black.WithAlpha(0.4), LinePattern.Dashed);
        plot.Title(title);
        plot.XLabel("ms from R peak · colour: mean saliency" + WaveLabel(MapFigures.WaveShares(map, axis)));
        plot.YLabel("standardised amplitude");
        plot.Legend.Alignment = Alignment.UpperRight;
        plot.Axes.SetLimitsY(low - 0.16 * range, high + 0.08 * range);
    }

    /// <summary>" · saliency in P 4 % (−250..−120 ms), QRS 61 % (...), T 20 % (...)", or "" off a time axis.</summary>
    internal static string WaveLabel(IReadOnlyList<Ml.ClassMaps.WaveShare>? shares) => shares is null ? "" :
        " · saliency in " + string.Join(", ", shares.Select(w => string.Create(CultureInfo.InvariantCulture,
            $"{w.Wave} {(w.Share is { } v ? (100 * v).ToString("F0", CultureInfo.InvariantCulture) + " %" : "–")} ({w.StartMs:+0;−0}..{w.EndMs:+0;−0} ms)")));

    /// <summary>The average ± one standard error (SD / √n) per sample.</summary>
    internal static (double[] Lower, double[] Upper) StandardErrorBand(double[] mean, double[] sd, long count)
    {
        var root = Math.Sqrt(Math.Max(1, count));
        return ([.. mean.Select((m, i) => m - sd[i] / root)], [.. mean.Select((m, i) => m + sd[i] / root)]);
    }

    /// <summary>Mean saliency ± SD per rhythm feature as horizontal bars: the features' full names read across, one per line.</summary>
    internal static void DrawRhythm(Plot plot, IReadOnlyList<(string Run, ClassMapView Map)> maps)
    {
        var palette = new[] { Colors.SteelBlue, Colors.DarkOrange };
        var features = maps.Count > 0 ? MapJson.FeatureNames(MapFigures.RhythmLength(maps[0].Map)) : [];
        var bars = new List<Bar>();
        var width = 0.8 / Math.Max(1, maps.Count);
        for (var m = 0; m < maps.Count; m++)
        {
            var (_, map) = maps[m];
            var saliency = MapFigures.Rhythm(map, map.SaliencyMean).ToArray();
            var sd = MapFigures.Rhythm(map, map.SaliencySd).ToArray();
            for (var f = 0; f < saliency.Length; f++)
            {
                bars.Add(new Bar
                {
                    // First run above the second within a feature, as the legend lists them.
                    Position = FeatureRow(f, features.Count) - (m - (maps.Count - 1) / 2.0) * width,
                    Value = saliency[f],
                    Error = sd[f],
                    Size = width * 0.9,
                    FillColor = palette[m % palette.Length],
                });
            }
        }
        plot.Add.Bars(bars).Horizontal = true;
        FeatureTicks(plot, features);
        plot.Axes.Margins(left: 0);
        var shares = string.Join(" / ", maps.Select(m => MapFigures.RhythmShare(m.Map) is { } s ? Percent(s) : "–"));
        // The share of all the class's saliency that falls on the rhythm features (A / B when two runs).
        plot.Title($"rhythm share: {shares}");
        plot.Axes.Title.Label.FontSize = 12;
        plot.XLabel("mean saliency ± SD");
        plot.Axes.Bottom.Label.FontSize = 13;
        if (maps.Count > 1)
        {
            for (var m = 0; m < maps.Count; m++) plot.Legend.ManualItems.Add(new LegendItem { LabelText = maps[m].Run, FillColor = palette[m % palette.Length] });
            // Below the chart, not over its bars.
            plot.ShowLegend(Edge.Bottom);
        }
    }

    private static void DrawDifference(Plot plot, MapDifference difference, BeatAxis axis, string title)
    {
        if (difference.WaveformSaliency is not { } d)
        {
            Empty(plot, $"{title}: {difference.Note}");
            return;
        }
        var xs = axis.Times(d.Length);
        var zero = new double[d.Length];
        var positive = plot.Add.FillY(xs, zero, [.. d.Select(v => (double)Math.Max(v, 0))]);
        positive.FillColor = ToColor(ColourMaps.Diverging(1)).WithAlpha(0.8);
        positive.LineWidth = 0;
        var negative = plot.Add.FillY(xs, zero, [.. d.Select(v => (double)Math.Min(v, 0))]);
        negative.FillColor = ToColor(ColourMaps.Diverging(-1)).WithAlpha(0.8);
        negative.LineWidth = 0;
        plot.Add.HorizontalLine(0, 1, Colors.Black.WithAlpha(0.5), LinePattern.Solid);
        plot.Add.VerticalLine(0, 1, Colors.Black.WithAlpha(0.4), LinePattern.Dashed);
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"{title} (mean |Δ| {difference.MeanAbsoluteSaliency:0.000}) · red: A leans more, blue: B"));
        plot.XLabel("ms from R peak");
        plot.YLabel("Δ mean saliency");
    }

    /// <summary>A − B per rhythm feature as horizontal bars, red to the right where A leans more, blue to the left where B does.</summary>
    internal static void DrawRhythmDifference(Plot plot, MapDifference difference)
    {
        if (difference.RhythmSaliency is not { } d)
        {
            Empty(plot, "rhythm Δ: not comparable");
            return;
        }
        var names = MapJson.FeatureNames(d.Length);
        plot.Add.Bars(d.Select((v, i) => new Bar
        {
            Position = FeatureRow(i, d.Length),
            Value = v,
            FillColor = ToColor(ColourMaps.Diverging(Math.Sign(v))),
        }).ToArray()).Horizontal = true;
        FeatureTicks(plot, names);
        // Bars grow from zero: keep it in view when every difference has the same sign.
        var (low, high) = (Math.Min(0, d.Min()), Math.Max(0, d.Max()));
        var pad = Math.Max(high - low, 1e-6) * 0.08;
        plot.Axes.SetLimitsX(low - (low < 0 ? pad : 0), high + (high > 0 ? pad : 0));
        plot.Add.VerticalLine(0, 1, Colors.Black.WithAlpha(0.5), LinePattern.Solid);
        var share = difference.RhythmShareDifference is { } s ? string.Create(CultureInfo.InvariantCulture, $", share {100 * s:+0.0;−0.0;0.0} pp") : "";
        plot.Title($"rhythm A − B{share}");
        plot.Axes.Title.Label.FontSize = 12;
        plot.XLabel("Δ mean saliency");
        plot.Axes.Bottom.Label.FontSize = 13;
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        // A sans-serif face with the minus and ± signs; ScottPlot falls back to what is installed when it is missing.
        plot.Font.Set("DejaVu Sans");
        return plot;
    }

    /// <summary>The row of feature <paramref name="index"/>: the first feature on top.</summary>
    private static double FeatureRow(int index, int count) => count - 1 - index;

    /// <summary>The features' full names as tick labels on the left axis, one per row: horizontal text never runs into its neighbour.</summary>
    internal static void FeatureTicks(Plot plot, IReadOnlyList<string> names)
    {
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, names.Count).Select(i => FeatureRow(i, names.Count))], [.. names]);
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
    }

    private static void Empty(Plot plot, string title)
    {
        plot.Title(title);
        plot.Axes.Frameless();
        plot.HideGrid();
    }

    private static string Beats(long count) => count.ToString("#,0", CultureInfo.InvariantCulture) + (count == 1 ? " beat" : " beats");

    private static string Percent(double share) => (100 * share).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static double[] ToDoubles(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    private static Color ToColor(RgbColour c) => new(c.R, c.G, c.B);

    /// <summary>The terminal's saliency colours, for ScottPlot.</summary>
    private sealed class HeatColormap : IColormap
    {
        public string Name => "EcgOrleans saliency";

        public Color GetColor(double normalizedIntensity) => ToColor(ColourMaps.Heat(normalizedIntensity));
    }
}
