using System.Text;

namespace EcgOrleans.Client.Rendering;

/// <summary>One column of a sparkline: a block glyph and its colour.</summary>
internal readonly record struct SparkCell(char Glyph, RgbColour Colour);

/// <summary>
/// Terminal sparklines: a curve drawn with the eight block glyphs, one column per bin of samples. An average beat
/// takes its height from the beat and its colour from the saliency of the same samples, so one line shows both
/// what the class looks like and where the model looks.
/// </summary>
internal static class Sparkline
{
    public const string Levels = "▁▂▃▄▅▆▇█";

    /// <summary>
    /// <paramref name="values"/> cut into <paramref name="width"/> equal bins, each the mean of its samples; with
    /// more columns than samples each column shows the sample under it.
    /// </summary>
    public static double[] Resample(ReadOnlySpan<float> values, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (values.IsEmpty) return [];
        var bins = new double[width];
        var n = values.Length;
        for (var column = 0; column < width; column++)
        {
            var start = (int)((long)column * n / width);
            var end = Math.Max(start + 1, (int)((long)(column + 1) * n / width));
            double sum = 0;
            for (var i = start; i < end; i++) sum += values[i];
            bins[column] = sum / (end - start);
        }
        return bins;
    }

    /// <summary>The glyph level (0..7) of <paramref name="value"/> between <paramref name="min"/> and <paramref name="max"/>; a flat curve sits in the middle.</summary>
    public static int Level(double value, double min, double max)
    {
        if (!(max > min) || !double.IsFinite(value)) return Levels.Length / 2 - 1;
        var t = (value - min) / (max - min);
        return Math.Clamp((int)Math.Round(t * (Levels.Length - 1)), 0, Levels.Length - 1);
    }

    /// <summary>
    /// An average beat: heights from <paramref name="beat"/>, colours from <paramref name="saliency"/> (same length)
    /// divided by <paramref name="saliencyScale"/>, so that several maps drawn with one scale compare by colour.
    /// </summary>
    public static SparkCell[] Beat(ReadOnlySpan<float> beat, ReadOnlySpan<float> saliency, int width, double saliencyScale)
    {
        if (beat.Length != saliency.Length)
            throw new ArgumentException($"the beat has {beat.Length} values and its saliency {saliency.Length}", nameof(saliency));
        var heights = Resample(beat, width);
        if (heights.Length == 0) return [];
        var colours = Resample(saliency, width);
        var (min, max) = (heights.Min(), heights.Max());
        var scale = saliencyScale > 0 ? saliencyScale : 1;
        return [.. heights.Select((h, i) => new SparkCell(Levels[Level(h, min, max)], ColourMaps.Heat(colours[i] / scale)))];
    }

    /// <summary>
    /// A signed difference: heights from its magnitude over <paramref name="scale"/> (the largest magnitude shown,
    /// so rows drawn with one scale compare), colours from its sign (red: the first run leans more, blue: the second).
    /// </summary>
    public static SparkCell[] Difference(ReadOnlySpan<float> difference, int width, double scale)
    {
        var bins = Resample(difference, width);
        var s = scale > 0 ? scale : 1;
        return [.. bins.Select(d => new SparkCell(Levels[Level(Math.Abs(d), 0, s)], ColourMaps.Diverging(d / s)))];
    }

    /// <summary>The glyphs of the cells alone, for output without colour.</summary>
    public static string Glyphs(IReadOnlyList<SparkCell> cells) => new([.. cells.Select(c => c.Glyph)]);

    /// <summary>
    /// Saliency as one digit per column, 0 (none) to 9 (<paramref name="scale"/> or more): what the colours of
    /// <see cref="Beat"/> show, for output without colour.
    /// </summary>
    public static string Digits(ReadOnlySpan<float> saliency, int width, double scale)
    {
        var s = scale > 0 ? scale : 1;
        return new([.. Resample(saliency, width).Select(v => (char)('0' + Math.Clamp((int)Math.Round(9 * (double.IsFinite(v) ? v : 0) / s), 0, 9)))]);
    }

    /// <summary>The sign of a difference per column: '+' where the first run leans more, '-' where the second does, '.' where the glyph is the lowest.</summary>
    public static string Signs(ReadOnlySpan<float> difference, int width, double scale)
    {
        var s = scale > 0 ? scale : 1;
        return new([.. Resample(difference, width).Select(d => Level(Math.Abs(d), 0, s) == 0 ? '.' : d > 0 ? '+' : '-')]);
    }

    /// <summary>Spectre markup of the cells, one colour tag per run of equal colours.</summary>
    public static string Markup(IReadOnlyList<SparkCell> cells)
    {
        var text = new StringBuilder();
        for (var i = 0; i < cells.Count;)
        {
            var colour = cells[i].Colour;
            text.Append('[').Append(colour.Hex).Append(']');
            for (; i < cells.Count && cells[i].Colour == colour; i++) text.Append(cells[i].Glyph);
            text.Append("[/]");
        }
        return text.ToString();
    }
}
