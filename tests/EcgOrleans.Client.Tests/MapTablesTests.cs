using EcgOrleans.Client.Rendering;

namespace EcgOrleans.Client.Tests;

public sealed class MapTablesTests
{
    [Fact]
    public void A_run_table_has_a_row_per_map_with_count_rhythm_share_and_peak()
    {
        var run = Maps.Run("r1", Maps.Window("reference/N", 1234, peak: 96), Maps.Window("reference/V", 56, peak: 132));

        var text = MapTables.ToPlainText(MapTables.Single(run, 30), width: 200);

        Assert.Contains("run r1: kachuee-window-ds1@1, vanilla saliency of the predicted class, window beats, 1,290 beats from 3 records", text);
        var rows = text.Split('\n');
        var n = Assert.Single(rows, l => l.Contains("reference/N"));
        Assert.Contains("1,234", n);
        Assert.Contains("0 ms", n);
        var v = Assert.Single(rows, l => l.Contains("reference/V"));
        Assert.Contains("+100 ms", v); // 36 samples after the R peak at 360 Hz
        Assert.Matches(@"\d+\.\d%", v);
    }

    [Fact]
    public void A_comparison_has_first_second_and_difference_rows_per_map()
    {
        var first = Maps.Run("a", Maps.Window("reference/N", 100, peak: 96));
        var second = Maps.Run("b", Maps.Window("reference/N", 90, peak: 110, run: "b"));

        var text = MapTables.ToPlainText(MapTables.Compare(first, second, 30), width: 200);

        Assert.Contains("A = run a", text);
        Assert.Contains("B = run b", text);
        var rows = text.Split('\n').Where(l => l.Contains('│')).ToList();
        Assert.Equal("100", BeatsCell(Assert.Single(rows, l => Cells(l)[2] == "A")));
        Assert.Equal("90", BeatsCell(Assert.Single(rows, l => Cells(l)[2] == "B")));
        // A difference of two maps holds no beats: its row has no count (not "0", not "+10").
        var difference = Assert.Single(rows, l => Cells(l)[2] == "A−B");
        Assert.Equal("", BeatsCell(difference));
        Assert.Contains("|Δ|", difference);
    }

    [Fact]
    public void Without_colour_a_run_table_prints_the_saliency_as_digits_under_each_beat()
    {
        var run = Maps.Run("r1", Maps.Window("reference/N", 1234, peak: 100), Maps.Window("reference/V", 56, peak: 164, height: 0.4f));

        var text = MapTables.ToPlainText(MapTables.Single(run, 32, colour: false), width: 200);

        var digits = text.Split('\n').Select(l => Cells(l).ElementAtOrDefault(3) ?? "").Where(c => System.Text.RegularExpressions.Regex.IsMatch(c, "^[0-9]{32}$")).ToList();
        Assert.Equal(2, digits.Count);
        // Each bump sits in one column of 8 samples (100 of 256 in column 12, 164 in column 20); the V map's is half as high.
        Assert.Equal(12, digits[0].IndexOf(digits[0].Max()));
        Assert.Equal(20, digits[1].IndexOf(digits[1].Max()));
        Assert.InRange(digits[0].Max(), '7', '9');
        Assert.InRange(digits[1].Max(), '3', '5');
        Assert.Equal('0', digits[0][0]);
        // The legend follows the table as a line of its own, not a caption cut to the table's width.
        Assert.Contains("\naverage beat, its mean saliency under it as digits: 0 none to 9 at 0.8  ·  rhythm: share of the saliency on RR features  ·  peak:", text);
    }

    [Fact]
    public void Without_colour_a_difference_row_marks_where_each_run_leans_more()
    {
        var first = Maps.Run("a", Maps.Window("reference/N", 100, peak: 64));
        var second = Maps.Run("b", Maps.Window("reference/N", 90, peak: 192, run: "b"));

        var text = MapTables.ToPlainText(MapTables.Compare(first, second, 32, colour: false), width: 200);

        var signs = Assert.Single(text.Split('\n').Select(l => Cells(l).ElementAtOrDefault(4) ?? ""), c => System.Text.RegularExpressions.Regex.IsMatch(c, "^[-+.]{32}$"));
        Assert.Equal('+', signs[8]);
        Assert.Equal('-', signs[24]);
        Assert.Equal('.', signs[0]);
    }

    [Theory]
    [InlineData(new[] { 0f, 1f / 3, 1f }, 1.0, "039")]
    [InlineData(new[] { 2f, -1f, float.NaN }, 1.0, "900")]
    [InlineData(new[] { 0.5f, 0.5f }, 0.5, "99")]
    public void Saliency_digits_run_from_0_to_9_at_the_scale(float[] saliency, double scale, string digits) =>
        Assert.Equal(digits, Sparkline.Digits(saliency, saliency.Length, scale));

    private static string[] Cells(string row) => [.. row.Split('│').Select(c => c.Trim())];

    /// <summary>The beats column of a comparison row: map, run, beats, ...</summary>
    private static string BeatsCell(string row) => Cells(row)[3];

    [Fact]
    public void An_empty_run_says_so()
    {
        Assert.Contains("no class maps yet", MapTables.ToPlainText(MapTables.Single(Maps.Run("empty"), 20)));
    }

    [Theory]
    [InlineData(80, false)]
    [InlineData(80, true)]
    [InlineData(120, false)]
    [InlineData(160, true)]
    public void The_automatic_sparkline_width_keeps_every_row_within_the_console(int consoleWidth, bool comparing)
    {
        // Wide values: seven-digit counts, peaks far from R, large rhythm-share differences.
        var first = Maps.Run("kachuee-window-ds1", Maps.Window("reference/N", 1234567, peak: 5, rhythmSaliency: 0.9f), Maps.Window("predicted/Q", 12345, peak: 250));
        var second = Maps.Run("resnet-window-ds1", Maps.Window("reference/N", 123, peak: 250, rhythmSaliency: 0f, run: "b"));
        var width = MapTables.AutoWidth(consoleWidth, comparing);

        var table = comparing ? MapTables.Compare(first, second, width) : MapTables.Single(first, width);
        var text = MapTables.ToPlainText(table, consoleWidth + 40);

        var rows = text.Split('\n').Where(l => l.Contains('│')).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, l => Assert.True(l.TrimEnd().Length <= consoleWidth, $"{l.TrimEnd().Length} columns: {l}"));
        // No row was wrapped: the sparkline of each map is on one line.
        Assert.Contains(rows, l => l.Contains("reference/N") && l.Count(c => "▁▂▃▄▅▆▇█".Contains(c)) == width);
    }
}
