using EcgOrleans.Client.Rendering;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgOrleans.Client.Tests;

public sealed class MapComparisonTests
{
    [Fact]
    public void Pairs_cover_both_runs_in_reading_order_with_missing_sides_empty()
    {
        var first = new[] { Maps.View("reference/V", 2, [1]), Maps.View("reference/N", 5, [1]) };
        var second = new[] { Maps.View("predicted/S", 1, [1], run: "b"), Maps.View("reference/N", 4, [1], run: "b") };

        var pairs = MapComparison.Pair(first, second);

        Assert.Equal(["reference/N", "reference/V", "predicted/S"], pairs.Select(p => p.Key));
        Assert.Equal((5L, 4L), (pairs[0].First!.Count, pairs[0].Second!.Count));
        Assert.Null(pairs[1].Second);
        Assert.Null(pairs[2].First);
    }

    [Fact]
    public void The_difference_is_first_minus_second_per_sample_and_per_rhythm_feature()
    {
        var a = Maps.View("reference/V", 10, [0.5f, 0.25f, 0.0f, 0.5f], waveformLength: 3);
        var b = Maps.View("reference/V", 8, [0.25f, 0.5f, 0.0f, 0.25f], waveformLength: 3, run: "b");

        var d = MapComparison.Difference(new MapPair("reference/V", a, b));

        Assert.Equal([0.25f, -0.25f, 0f], d.WaveformSaliency!);
        Assert.Equal([0.25f], d.RhythmSaliency!);
        Assert.Equal(0.5 / 3, d.MeanAbsoluteSaliency!.Value, 6);
        Assert.Equal(0.25, d.LargestSaliency!.Value, 6);
        Assert.Equal(0, d.LargestAt);
        // Rhythm shares: a 0.5 / 1.25 = 0.4, b 0.25 / 1.0 = 0.25.
        Assert.Equal(0.15, d.RhythmShareDifference!.Value, 6);
        Assert.Equal((10L, 8L), (d.FirstCount, d.SecondCount));
        Assert.Null(d.Note);
    }

    [Fact]
    public void The_largest_difference_keeps_its_sign()
    {
        var a = Maps.View("reference/V", 1, [0.1f, 0.1f, 0.1f]);
        var b = Maps.View("reference/V", 1, [0.1f, 0.9f, 0.2f]);
        var d = MapComparison.Difference(new MapPair("reference/V", a, b));
        Assert.Equal(-0.8, d.LargestSaliency!.Value, 6);
        Assert.Equal(1, d.LargestAt);
    }

    [Fact]
    public void Waveforms_of_different_representations_get_no_per_sample_difference_but_keep_the_rhythm_share()
    {
        var window = Maps.Window("reference/V", 10);
        var kachuee = Maps.View("reference/V", 10, [.. Enumerable.Repeat(0.1f, 187), .. Enumerable.Repeat(0.2f, 4)], waveformLength: 187);

        var d = MapComparison.Difference(new MapPair("reference/V", window, kachuee));

        Assert.Null(d.WaveformSaliency);
        Assert.Null(d.MeanAbsoluteSaliency);
        Assert.NotNull(d.RhythmSaliency);
        Assert.NotNull(d.RhythmShareDifference);
        Assert.Contains("256 and 187 samples", d.Note);
    }

    [Fact]
    public void A_class_in_one_run_only_is_noted_not_differenced()
    {
        var d = MapComparison.Difference(new MapPair("predicted/F", null, Maps.View("predicted/F", 3, [1])));
        Assert.Equal("only in the second run", d.Note);
        Assert.Equal((0L, 3L), (d.FirstCount, d.SecondCount));
        Assert.Null(d.WaveformSaliency);
    }

    [Property(MaxTest = 100)]
    public Property Swapping_the_runs_negates_the_difference(NonEmptyArray<NormalFloat> values, int seed)
    {
        var a = values.Get.Select(v => (float)(Math.Abs(v.Get) % 1)).ToArray();
        var random = new Random(seed);
        var b = a.Select(_ => (float)random.NextDouble()).ToArray();
        var forward = MapComparison.Difference(new MapPair("reference/N", Maps.View("reference/N", 1, a), Maps.View("reference/N", 1, b)));
        var backward = MapComparison.Difference(new MapPair("reference/N", Maps.View("reference/N", 1, b), Maps.View("reference/N", 1, a)));
        return forward.WaveformSaliency!.Zip(backward.WaveformSaliency!).All(p => p.First == -p.Second)
            .And(Math.Abs(forward.MeanAbsoluteSaliency!.Value - backward.MeanAbsoluteSaliency!.Value) < 1e-12)
            .And(forward.LargestAt == backward.LargestAt);
    }

    [Fact]
    public void One_difference_scale_is_the_largest_magnitude_over_all_rows()
    {
        var rows = new[]
        {
            MapComparison.Difference(new MapPair("reference/N", Maps.View("reference/N", 1, [0.5f, 0.1f]), Maps.View("reference/N", 1, [0.1f, 0.1f]))),
            MapComparison.Difference(new MapPair("reference/V", Maps.View("reference/V", 1, [0.1f, 0.1f]), Maps.View("reference/V", 1, [0.1f, 0.7f]))),
        };
        Assert.Equal(0.6, MapComparison.Scale(rows), 6);
    }
}
