using EcgOrleans.Client.Rendering;

namespace EcgOrleans.Client.Tests;

public sealed class MapFiguresTests
{
    [Fact]
    public void Rhythm_share_is_the_rhythm_part_of_the_total_mean_saliency()
    {
        // Waveform 1 + 2 + 3 = 6, rhythm 1 + 1 = 2: a quarter of the saliency is on the RR features.
        var map = Maps.View("reference/V", 10, [1, 2, 3, 1, 1], waveformLength: 3);
        Assert.Equal(0.25, MapFigures.RhythmShare(map)!.Value, 12);
    }

    [Fact]
    public void Rhythm_share_is_undefined_without_rhythm_features_and_zero_without_saliency()
    {
        Assert.Null(MapFigures.RhythmShare(Maps.View("reference/N", 3, [1, 2, 3])));
        Assert.Equal(0, MapFigures.RhythmShare(Maps.View("reference/N", 3, [0, 0, 0, 0], waveformLength: 3)));
    }

    [Fact]
    public void Waveform_and_rhythm_parts_split_at_the_waveform_length()
    {
        var map = Maps.View("reference/V", 1, [1, 2, 3, 4, 5], waveformLength: 3);
        Assert.Equal([1f, 2f, 3f], MapFigures.Waveform(map, map.SaliencyMean).ToArray());
        Assert.Equal([4f, 5f], MapFigures.Rhythm(map, map.SaliencyMean).ToArray());
        Assert.Equal(2, MapFigures.RhythmLength(map));
    }

    [Fact]
    public void Peak_is_the_first_largest_value()
    {
        Assert.Equal(2, MapFigures.PeakIndex([0, 1, 5, 5, 2]));
        Assert.Equal(-1, MapFigures.PeakIndex([]));
    }

    [Fact]
    public void One_saliency_scale_is_the_largest_waveform_value_over_all_maps()
    {
        var maps = new[]
        {
            Maps.View("reference/N", 1, [0.1f, 0.3f, 0.9f], waveformLength: 2), // the rhythm value 0.9 does not count
            Maps.View("reference/V", 1, [0.6f, 0.2f]),
        };
        Assert.Equal(0.6, MapFigures.SaliencyScale(maps), 6);
        Assert.Equal(1, MapFigures.SaliencyScale([]));
    }

    [Fact]
    public void Maps_read_reference_then_predicted_then_cells_each_in_AAMI_order()
    {
        string[] keys = ["cell/V-N", "predicted/N", "reference/Q", "reference/N", "cell/N-V", "reference/V", "odd"];
        Assert.Equal(["reference/N", "reference/V", "reference/Q", "predicted/N", "cell/N-V", "cell/V-N", "odd"], keys.Order(MapKeyOrder.Instance));
    }

    [Fact]
    public void The_beat_axis_puts_the_R_peak_at_zero_milliseconds()
    {
        var window = BeatAxis.Of(Maps.Config("r", "window", 256));
        Assert.Equal(0, window.Milliseconds(96.0), 9);
        Assert.Equal(-96 * 1000 / 360.0, window.Milliseconds(0.0), 9);
        var kachuee = BeatAxis.Of(Maps.Config("r", "kachuee", 187, 0));
        Assert.Equal(8, kachuee.Milliseconds(1.0), 9); // 125 Hz, R peak first
        Assert.Equal(BeatAxis.Samples, BeatAxis.Of(Maps.Config("r", "unknown", 10)));
    }
}
