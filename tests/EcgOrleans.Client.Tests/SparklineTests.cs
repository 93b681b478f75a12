using EcgOrleans.Client.Rendering;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Spectre.Console;

namespace EcgOrleans.Client.Tests;

public sealed class SparklineTests
{
    [Fact]
    public void Resampling_to_fewer_columns_averages_equal_bins()
    {
        Assert.Equal([1.5, 3.5], Sparkline.Resample([1, 2, 3, 4], 2));
        Assert.Equal([2.0], Sparkline.Resample([1, 2, 3], 1));
    }

    [Fact]
    public void Resampling_to_more_columns_repeats_the_sample_under_each_column()
    {
        Assert.Equal([1, 1, 2, 2, 3, 3], Sparkline.Resample([1, 2, 3], 6));
    }

    [Property(MaxTest = 200)]
    public Property Resampled_values_stay_within_the_input_range(NonEmptyArray<NormalFloat> input, PositiveInt width)
    {
        var values = input.Get.Select(v => (float)v.Get).ToArray();
        var bins = Sparkline.Resample(values, 1 + width.Get % 300);
        var (min, max) = (values.Min(), values.Max());
        var tolerance = 1e-6 * Math.Max(1, Math.Max(Math.Abs(min), Math.Abs(max)));
        return bins.All(b => b >= min - tolerance && b <= max + tolerance).Label($"bins {string.Join(",", bins)} outside [{min}, {max}]");
    }

    [Fact]
    public void Levels_span_the_eight_glyphs_and_a_flat_curve_sits_in_the_middle()
    {
        Assert.Equal(0, Sparkline.Level(-2, -2, 5));
        Assert.Equal(7, Sparkline.Level(5, -2, 5));
        Assert.Equal(4, Sparkline.Level(0.55, 0, 1));
        Assert.Equal(3, Sparkline.Level(1, 1, 1));
        Assert.Equal(3, Sparkline.Level(double.NaN, 0, 1));
    }

    [Fact]
    public void A_rising_curve_draws_rising_glyphs_from_lowest_to_highest()
    {
        var cells = Sparkline.Beat([.. Enumerable.Range(0, 64).Select(i => (float)i)], new float[64], 8, saliencyScale: 1);
        Assert.Equal("▁▂▃▄▅▆▇█", new string([.. cells.Select(c => c.Glyph)]));
    }

    [Fact]
    public void Beat_columns_take_their_height_from_the_beat_and_their_colour_from_the_saliency()
    {
        float[] beat = [0, 0, 10, 10];
        float[] saliency = [0, 0, 0.5f, 0.5f];

        var cells = Sparkline.Beat(beat, saliency, 2, saliencyScale: 0.5);

        Assert.Equal(['▁', '█'], cells.Select(c => c.Glyph));
        Assert.Equal(ColourMaps.Heat(0), cells[0].Colour);
        Assert.Equal(ColourMaps.Heat(1), cells[1].Colour);
    }

    [Fact]
    public void A_shared_scale_makes_a_map_with_half_the_saliency_half_as_hot()
    {
        var cells = Sparkline.Beat([1, 2], [0.25f, 0.25f], 1, saliencyScale: 0.5);
        Assert.Equal(ColourMaps.Heat(0.5), cells[0].Colour);
    }

    [Fact]
    public void A_beat_and_a_saliency_of_different_lengths_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Sparkline.Beat([1, 2, 3], [1, 2], 4, 1));
        Assert.Contains("3 values", e.Message);
    }

    [Fact]
    public void Differences_take_height_from_magnitude_and_colour_from_sign()
    {
        var cells = Sparkline.Difference([0.4f, -0.4f, 0f], 3, scale: 0.4);

        Assert.Equal(['█', '█', '▁'], cells.Select(c => c.Glyph));
        Assert.Equal(ColourMaps.Diverging(1), cells[0].Colour);
        Assert.Equal(ColourMaps.Diverging(-1), cells[1].Colour);
        Assert.Equal(ColourMaps.Diverging(0), cells[2].Colour);
    }

    [Fact]
    public void Markup_has_one_colour_tag_per_run_of_equal_colours_and_parses()
    {
        var red = new RgbColour(255, 0, 0);
        var blue = new RgbColour(0, 0, 255);
        SparkCell[] cells = [new('▁', red), new('▂', red), new('█', blue)];

        var markup = Sparkline.Markup(cells);

        Assert.Equal("[#ff0000]▁▂[/][#0000ff]█[/]", markup);
        Assert.Equal("▁▂█", MapTables.ToPlainText(new Markup(markup)).Trim());
    }
}

public sealed class ColourMapTests
{
    [Fact]
    public void Heat_runs_from_slate_blue_to_red_and_clamps()
    {
        Assert.Equal("#556b9e", ColourMaps.Heat(0).Hex);
        Assert.Equal("#d7191c", ColourMaps.Heat(1).Hex);
        Assert.Equal(ColourMaps.Heat(0), ColourMaps.Heat(-3));
        Assert.Equal(ColourMaps.Heat(1), ColourMaps.Heat(7));
        Assert.Equal(ColourMaps.Heat(0), ColourMaps.Heat(double.NaN));
    }

    [Fact]
    public void Heat_passes_through_its_stops_and_interpolates_between_them()
    {
        Assert.Equal("#f2c93a", ColourMaps.Heat(0.5).Hex);
        var between = ColourMaps.Heat(0.125); // halfway from slate blue (0x55,0x6b,0x9e) to teal (0x3f,0xa3,0x8f)
        Assert.Equal(new RgbColour(0x4a, 0x87, 0x96), between); // 150.5 rounds to even
    }

    [Fact]
    public void Diverging_is_grey_at_zero_red_for_positive_blue_for_negative()
    {
        Assert.Equal("#9a9a9a", ColourMaps.Diverging(0).Hex);
        var (red, blue) = (ColourMaps.Diverging(1), ColourMaps.Diverging(-1));
        Assert.True(red.R > red.B);
        Assert.True(blue.B > blue.R);
        Assert.Equal(red, ColourMaps.Diverging(9));
    }
}
