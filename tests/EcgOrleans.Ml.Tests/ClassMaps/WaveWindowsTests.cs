using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Tests.ClassMaps;

public sealed class WaveWindowsTests
{
    private static readonly BeatRepresentation Window = BeatRepresentation.Window;

    [Fact]
    public void Window_beats_hold_all_three_windows_at_the_samples_whose_times_fall_inside()
    {
        // 360 Hz, R at sample 96: −250 ms is 90 samples before R; −120 ms is 43.2 before, so the last P sample is 44 before.
        Assert.Equal((6, 52), WaveWindows.Samples(WaveWindows.P, Window.Length, Window.SamplesBeforeR, Window.SamplingFrequency));
        Assert.Equal((75, 117), WaveWindows.Samples(WaveWindows.Qrs, Window.Length, Window.SamplesBeforeR, Window.SamplingFrequency));
        Assert.Equal((140, 240), WaveWindows.Samples(WaveWindows.T, Window.Length, Window.SamplesBeforeR, Window.SamplingFrequency));
    }

    [Fact]
    public void A_window_outside_the_beat_has_no_share()
    {
        // Kachuee beats start at the R peak: no P wave and no first half of the QRS.
        var k = BeatRepresentation.Kachuee;
        Assert.Null(WaveWindows.Samples(WaveWindows.P, k.Length, k.SamplesBeforeR, k.SamplingFrequency));
        Assert.Null(WaveWindows.Samples(WaveWindows.Qrs, k.Length, k.SamplesBeforeR, k.SamplingFrequency));
        Assert.Equal((15, 50), WaveWindows.Samples(WaveWindows.T, k.Length, k.SamplesBeforeR, k.SamplingFrequency));
        var shares = WaveWindows.Shares(Enumerable.Repeat(1f, k.Length).ToArray(), k.SamplesBeforeR, k.SamplingFrequency);
        Assert.Null(shares[0].Share);
        Assert.Equal(36.0 / 187, shares[2].Share!.Value, 12);
    }

    [Fact]
    public void Shares_are_of_absolute_saliency_and_a_flat_map_gets_the_even_share()
    {
        var map = new float[Window.Length];
        for (var i = 75; i <= 117; i++) map[i] = i % 2 == 0 ? 2 : -2;
        var qrsOnly = WaveWindows.Shares(map, Window.SamplesBeforeR, Window.SamplingFrequency);
        Assert.Equal(["P", "QRS", "T"], qrsOnly.Select(s => s.Wave));
        Assert.Equal(0, qrsOnly[0].Share);
        Assert.Equal(1, qrsOnly[1].Share!.Value, 12);
        Assert.Equal(0, qrsOnly[2].Share);

        var flat = WaveWindows.Shares(Enumerable.Repeat(0.3f, Window.Length).ToArray(), Window.SamplesBeforeR, Window.SamplingFrequency);
        Assert.All(flat, s => Assert.Equal(s.EvenShare!.Value, s.Share!.Value, 6));
        Assert.Equal(101.0 / 256, flat[2].EvenShare!.Value, 12);

        Assert.All(WaveWindows.Shares(new float[Window.Length], Window.SamplesBeforeR, Window.SamplingFrequency), s => Assert.Null(s.Share));
    }
}
