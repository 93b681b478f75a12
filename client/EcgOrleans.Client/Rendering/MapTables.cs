using System.Globalization;
using EcgOrleans.Client.Maps;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EcgOrleans.Client.Rendering;

/// <summary>Class maps as terminal tables: one run, or two side by side with their difference.</summary>
internal static class MapTables
{
    public const int MinWidth = 8;
    public const int MaxWidth = 400;

    /// <summary>The narrowest automatic sparkline: still wider than any note shown in its place.</summary>
    public const int MinAutoWidth = 16;

    /// <summary>Columns the other cells of a row take (names, counts, shares, borders), measured on rendered tables.</summary>
    private const int SingleFixedColumns = 50;
    private const int CompareFixedColumns = 60;

    /// <summary>The widest sparkline that keeps a row on one line of a console <paramref name="consoleWidth"/> columns wide (between 16 and 120).</summary>
    public static int AutoWidth(int consoleWidth, bool comparing) =>
        Math.Clamp(consoleWidth - (comparing ? CompareFixedColumns : SingleFixedColumns), MinAutoWidth, 120);

    public static string Describe(RunMaps run) =>
        $"run {run.Name}: {run.Config.ModelVersion}, {run.Config.Method} saliency of the {run.Config.Target} class, " +
        $"{run.Config.Representation} beats, {run.Beats.ToString("N0", CultureInfo.InvariantCulture)} beats from {run.Records} records";

    /// <summary>
    /// Whether the console shows colours: not when the output goes to a file or a pipe, nor under NO_COLOR. Without
    /// them, maps print the saliency as digits under each beat (the colour is what carries it).
    /// </summary>
    public static bool ConsoleHasColour =>
        AnsiConsole.Profile.Capabilities.Ansi && AnsiConsole.Profile.Capabilities.ColorSystem != ColorSystem.NoColors;

    /// <summary>A line describing the run, then a row per map; <paramref name="colour"/> false: saliency as digits.</summary>
    public static IRenderable Single(RunMaps run, int width, bool colour = true)
    {
        var axis = BeatAxis.Of(run.Config);
        var scale = MapFigures.SaliencyScale(run.Maps);
        var table = NewTable(scale, comparing: false, colour, out var notes);
        foreach (var map in run.Maps)
            table.AddRow(Markup.Escape(map.Key), Count(map.Count), Curve(map, width, scale, colour), Share(MapFigures.RhythmShare(map)), Peak(map, axis));
        if (run.Maps.Count == 0) table.AddRow("[grey]no class maps yet[/]", "", "", "", "");
        return new Rows(new IRenderable?[] { new Markup(Markup.Escape(Describe(run))), table, notes }.OfType<IRenderable>());
    }

    /// <summary>A line describing each run (A and B), then three rows per class map: A, B, and A − B.</summary>
    public static IRenderable Compare(RunMaps first, RunMaps second, int width, bool colour = true)
    {
        var axis = BeatAxis.Of(first.Config);
        var scale = MapFigures.SaliencyScale(first.Maps.Concat(second.Maps));
        var pairs = MapComparison.Pair(first.Maps, second.Maps);
        var differences = pairs.Select(MapComparison.Difference).ToList();
        var differenceScale = MapComparison.Scale(differences);
        var table = NewTable(scale, comparing: true, colour, out var notes, colour
            ? string.Create(CultureInfo.InvariantCulture,
                $"\nA−B: height |Δ saliency| (full block {differenceScale:0.###}), [{ColourMaps.Diverging(1).Hex}]red[/] where A leans more, [{ColourMaps.Diverging(-1).Hex}]blue[/] where B does")
            : string.Create(CultureInfo.InvariantCulture,
                $"\nA−B: height |Δ saliency| (full block {differenceScale:0.###}), under it + where A leans more, - where B does, . where they agree"));
        for (var i = 0; i < pairs.Count; i++)
        {
            var (pair, difference) = (pairs[i], differences[i]);
            if (i > 0) table.AddEmptyRow();
            table.AddRow(Markup.Escape(pair.Key), "A", Count(difference.FirstCount),
                pair.First is { } a ? Curve(a, width, scale, colour) : "[grey]—[/]", Share(pair.First is { } fa ? MapFigures.RhythmShare(fa) : null),
                pair.First is { } pa ? Peak(pa, axis) : "");
            table.AddRow("", "B", Count(difference.SecondCount),
                pair.Second is { } b ? Curve(b, width, scale, colour) : "[grey]—[/]", Share(pair.Second is { } sb ? MapFigures.RhythmShare(sb) : null),
                pair.Second is { } pb ? Peak(pb, BeatAxis.Of(second.Config)) : "");
            // A difference of two maps has no beats of its own: its beats cell stays empty.
            table.AddRow("", "[bold]A−B[/]", "",
                difference.WaveformSaliency is { } d ? DifferenceCurve(d, width, differenceScale, colour) : $"[grey]{Markup.Escape(ShortNote(pair))}[/]",
                difference.RhythmShareDifference is { } s ? Points(s) : "",
                difference.MeanAbsoluteSaliency is { } mad ? $"|Δ| {mad.ToString("0.000", CultureInfo.InvariantCulture)}" : "");
        }
        if (pairs.Count == 0) table.AddRow("[grey]no class maps yet[/]", "", "", "", "", "");
        return new Rows(new IRenderable?[] { new Markup($"[bold]A[/] = {Markup.Escape(Describe(first))}"), new Markup($"[bold]B[/] = {Markup.Escape(Describe(second))}"), table, notes }
            .OfType<IRenderable>());
    }

    /// <summary>Why a pair has no difference row, in fewer columns than the narrowest sparkline.</summary>
    private static string ShortNote(MapPair pair) => (pair.First, pair.Second) switch
    {
        ({ Count: > 0 } a, { Count: > 0 } b) => $"lengths {a.WaveformLength}≠{b.WaveformLength}",
        ({ Count: > 0 }, _) => "only in A",
        (_, { Count: > 0 }) => "only in B",
        _ => "no beats",
    };

    /// <summary>A strip of the saliency colours from 0 to the scale, for captions.</summary>
    public static string Legend(int steps = 12) =>
        Sparkline.Markup([.. Enumerable.Range(0, steps).Select(i => new SparkCell('█', ColourMaps.Heat(i / (double)(steps - 1))))]);

    /// <summary>An average beat: coloured by saliency, or without colour its saliency as digits 0-9 on a line under it.</summary>
    public static string Curve(Abstractions.ClassMapView map, int width, double scale, bool colour = true)
    {
        var beat = MapFigures.Waveform(map, map.BeatMean);
        var saliency = MapFigures.Waveform(map, map.SaliencyMean);
        var cells = Sparkline.Beat(beat, saliency, width, scale);
        return colour ? Sparkline.Markup(cells) : Sparkline.Glyphs(cells) + "\n" + Sparkline.Digits(saliency, width, scale);
    }

    private static string DifferenceCurve(float[] difference, int width, double scale, bool colour)
    {
        var cells = Sparkline.Difference(difference, width, scale);
        return colour ? Sparkline.Markup(cells) : Sparkline.Glyphs(cells) + "\n" + Sparkline.Signs(difference, width, scale);
    }

    private static Table NewTable(double scale, bool comparing, bool colour, out IRenderable? notes, string extraCaption = "")
    {
        notes = null;
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("map");
        if (comparing) table.AddColumn("run");
        table.AddColumn(new TableColumn("beats").RightAligned());
        table.AddColumn("average beat");
        table.AddColumn(new TableColumn("rhythm").RightAligned());
        table.AddColumn(new TableColumn("peak").RightAligned());
        var saliency = colour
            ? string.Create(CultureInfo.InvariantCulture, $"average beat coloured by mean saliency: 0 {Legend()} {scale:0.###}")
            : string.Create(CultureInfo.InvariantCulture, $"average beat, its mean saliency under it as digits: 0 none to 9 at {scale:0.###}");
        var caption = string.Create(CultureInfo.InvariantCulture,
            $"{saliency}  ·  rhythm: share of the saliency on RR features  ·  peak: where the waveform saliency peaks, ms from R{extraCaption}");
        // A caption is as wide as its table and wraps mid-sentence; without colour (a file, a pipe) it follows the table as lines.
        if (colour) table.Caption(caption);
        else notes = new Markup(caption);
        return table;
    }

    private static string Count(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Share(double? share) => share is { } s ? (100 * s).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "[grey]–[/]";

    private static string Points(double difference) =>
        (100 * difference).ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture) + " pp";

    private static string Peak(Abstractions.ClassMapView map, BeatAxis axis)
    {
        var peak = MapFigures.PeakIndex(MapFigures.Waveform(map, map.SaliencyMean));
        return peak < 0 ? "" : axis.Milliseconds(peak).ToString("+0;−0;0", CultureInfo.InvariantCulture) + " ms";
    }

    /// <summary>Renders to plain text (no colours): for tests and logs.</summary>
    public static string ToPlainText(IRenderable renderable, int width = 160)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        console.Write(renderable);
        return writer.ToString();
    }
}
