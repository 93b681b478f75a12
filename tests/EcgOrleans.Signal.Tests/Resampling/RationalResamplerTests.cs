using EcgOrleans.Signal.Resampling;
using Xunit.Abstractions;

namespace EcgOrleans.Signal.Tests.Resampling;

public sealed class RationalResamplerTests(ITestOutputHelper output)
{
    /// <summary>
    /// The tolerance on a resampled tone's gain, as a complex number (so on its amplitude, relative, and on its phase,
    /// in radians): the design's ripple δ = 10^(-A/20) in the passband, plus, because each output sample is computed by
    /// one polyphase branch (a fractional-delay filter), the tone's images at the input rate's multiples, each let
    /// through with at most δ; the two nearest (fs ± f) bound them, the window's sidelobes falling off further out; and
    /// a last δ for scaling each branch to sum to one. Hence 4δ.
    /// </summary>
    private static readonly double Tolerance = 4 * RationalResampler.DesignRipple;

    [Theory]
    [InlineData(360, 128, 1)]
    [InlineData(360, 128, 40)]
    [InlineData(360, 128, 51)] // just under the passband edge, 0.8 × 64 Hz
    [InlineData(360, 250, 99)]
    [InlineData(128, 360, 50)]
    [InlineData(250, 360, 99)]
    [InlineData(1000, 257, 100)]
    public void A_tone_below_the_passband_edge_keeps_its_amplitude_and_phase(double from, double to, double frequency)
    {
        var resampler = new RationalResampler(from, to);
        Assert.True(frequency <= resampler.PassbandEdge);
        const double amplitude = 1000, phase = 0.7;
        var input = Tone(from, frequency, amplitude, phase, seconds: 20);

        var resampled = resampler.Process(input);

        var skip = EdgeSamples(resampler);
        var (measuredAmplitude, measuredPhase) = Fit(resampled[skip..^skip], to, frequency, skip);
        var (gainError, phaseError) = (measuredAmplitude / amplitude - 1, Wrap(measuredPhase - phase));
        output.WriteLine($"{from} -> {to} Hz, {frequency} Hz: gain error {gainError:E2}, phase error {phaseError:E2} rad (tolerance {Tolerance:E2})");
        Assert.InRange(gainError, -Tolerance, Tolerance);
        Assert.InRange(phaseError, -Tolerance, Tolerance);
    }

    [Theory]
    [InlineData(360, 128, 64)]  // the new Nyquist frequency: the stopband edge
    [InlineData(360, 128, 70)]  // would alias to 58 Hz
    [InlineData(360, 128, 100)]
    [InlineData(360, 128, 170)]
    [InlineData(360, 250, 130)]
    [InlineData(128, 360, 64)]  // upsampling: the input's Nyquist frequency is the edge
    public void A_tone_above_the_new_Nyquist_frequency_is_attenuated_by_the_stopband_attenuation(double from, double to, double frequency)
    {
        var resampler = new RationalResampler(from, to);
        const double amplitude = 1000;
        var input = Tone(from, frequency, amplitude, 0.3, seconds: 20);

        var skip = EdgeSamples(resampler);
        var peak = resampler.Process(input)[skip..^skip].Max(Math.Abs);

        output.WriteLine($"{from} -> {to} Hz, {frequency} Hz tone: peak {peak / amplitude:E2} of its amplitude (bound {2 * RationalResampler.DesignRipple:E2})");
        // The tone and its image through the branch: each attenuated by at least A dB.
        Assert.True(peak <= 2 * RationalResampler.DesignRipple * amplitude, $"peak {peak:F4} of {amplitude}");
    }

    [Fact]
    public void A_constant_comes_out_exactly_constant_to_the_ends()
    {
        var resampler = new RationalResampler(360, 128);
        var output = resampler.Process(Enumerable.Repeat(1024.0, 3600).ToArray());
        Assert.Equal(resampler.OutputLength(3600), output.Length);
        Assert.All(output, v => Assert.Equal(1024.0, v, 1e-9));
    }

    [Theory]
    [InlineData(360, 128, 16, 45)]
    [InlineData(360, 250, 25, 36)]
    [InlineData(128, 360, 45, 16)]
    [InlineData(257, 360, 360, 257)]
    [InlineData(360, 360.5, 721, 720)]
    public void The_ratio_is_reduced_to_lowest_terms(double from, double to, int up, int down)
    {
        var resampler = new RationalResampler(from, to);
        Assert.Equal((up, down), (resampler.Up, resampler.Down));
        Assert.Equal(0.8 * Math.Min(from, to) / 2, resampler.PassbandEdge, 9);
    }

    [Theory]
    [InlineData(360, 128, 0, 0)]
    [InlineData(360, 128, 1, 0)]   // 0.36
    [InlineData(360, 128, 2, 1)]   // 0.71
    [InlineData(360, 128, 45, 16)]
    [InlineData(360, 250, 18, 13)] // 12.5: halves round up
    [InlineData(360, 250, 649_999, 451_388)] // 451388.19
    [InlineData(128, 360, 231_110, 649_997)] // 649996.875
    public void Sample_numbers_map_to_the_nearest_output_sample(double from, double to, long sample, long expected) =>
        Assert.Equal(expected, new RationalResampler(from, to).MapSample(sample));

    [Theory]
    [InlineData(360, 128, 650_000, 231_111)] // up to the instant of the last input sample
    [InlineData(360, 250, 650_000, 451_389)]
    [InlineData(360, 128, 1, 1)]
    [InlineData(360, 128, 0, 0)]
    public void The_output_runs_to_the_last_input_sample(double from, double to, long input, long expected) =>
        Assert.Equal(expected, new RationalResampler(from, to).OutputLength(input));

    [Theory]
    [InlineData(360, 0)]
    [InlineData(-1, 360)]
    [InlineData(double.NaN, 360)]
    public void A_frequency_that_is_not_positive_is_refused(double from, double to) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RationalResampler(from, to));

    [Theory]
    [InlineData(360, 360.0001, "millihertz")]
    [InlineData(360, 359.999, "ratio")] // 359999/360000
    public void A_ratio_that_would_need_a_huge_filter_is_refused_with_the_reason(double from, double to, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => new RationalResampler(from, to));
        Assert.Contains(reason, error.Message);
    }

    private static double[] Tone(double rate, double frequency, double amplitude, double phase, double seconds) =>
        [.. Enumerable.Range(0, (int)(rate * seconds)).Select(n => amplitude * Math.Sin(2 * Math.PI * frequency * n / rate + phase))];

    /// <summary>Output samples at either end within the filter's reach of the edge extension.</summary>
    internal static int EdgeSamples(RationalResampler resampler) =>
        (int)Math.Ceiling(resampler.Reach * resampler.ToFrequency / resampler.FromFrequency) + 1;

    /// <summary>Least-squares amplitude and phase of a sine of <paramref name="frequency"/> whose first sample is output sample <paramref name="first"/>.</summary>
    internal static (double Amplitude, double Phase) Fit(IReadOnlyList<double> y, double rate, double frequency, int first)
    {
        double ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
        for (var i = 0; i < y.Count; i++)
        {
            var w = 2 * Math.PI * frequency * (i + first) / rate;
            var (s, c) = (Math.Sin(w), Math.Cos(w));
            ss += s * s; sc += s * c; cc += c * c; ys += y[i] * s; yc += y[i] * c;
        }
        var det = ss * cc - sc * sc;
        var a = (ys * cc - yc * sc) / det; // y ≈ a·sin + b·cos = A·sin(w + φ)
        var b = (yc * ss - ys * sc) / det;
        return (Math.Sqrt(a * a + b * b), Math.Atan2(b, a));
    }

    internal static double Wrap(double angle) => Math.IEEERemainder(angle, 2 * Math.PI);
}
