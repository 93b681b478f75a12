namespace EcgOrleans.Signal.Resampling;

/// <summary>
/// Changes a signal's sampling rate by a ratio of integers, Up/Down, with a polyphase windowed-sinc FIR filter.
/// <para>
/// Conceptually the input is stuffed with Up - 1 zeros between samples, low-pass filtered at the upsampled rate and
/// every Down-th sample kept; the polyphase form computes only the kept samples, and only from the non-zero inputs.
/// The filter is a sinc cut off midway between a passband edge at <see cref="PassbandFraction"/> of the lower of the
/// two Nyquist frequencies and a stopband edge at that Nyquist frequency itself, so that nothing above the new
/// Nyquist frequency can alias back (it is attenuated by <see cref="StopbandAttenuationDb"/> dB) while everything
/// below the passband edge passes. A Kaiser window sets that attenuation: by Kaiser's design rule the passband ripple
/// is then about the same fraction (10^(-80/20) = 1e-4), far below an 11- or 12-bit ECG's quantisation step, and the
/// filter length follows from the transition width (Kaiser's formula). The filter is symmetric and centred on each
/// output instant, so it adds no delay and no phase shift. Each polyphase branch is scaled to sum to one, so that a
/// constant signal (an ECG's baseline in ADC units) comes out exactly constant; the signal is extended past both ends
/// by its edge values for the same reason (zeros would make the filter ring at the ends).
/// </para>
/// </summary>
public sealed class RationalResampler
{
    /// <summary>Stopband attenuation of the anti-aliasing filter, dB.</summary>
    public const double StopbandAttenuationDb = 80;

    /// <summary>Passband edge as a fraction of the lower of the input and output Nyquist frequencies.</summary>
    public const double PassbandFraction = 0.8;

    /// <summary>The largest Up or Down accepted: the filter has about 50 × max(Up, Down) taps.</summary>
    public const int MaxFactor = 20_000;

    private readonly double[][] _phases;
    private readonly long _centre;

    public RationalResampler(double fromFrequency, double toFrequency)
    {
        if (!(fromFrequency > 0) || !double.IsFinite(fromFrequency))
            throw new ArgumentOutOfRangeException(nameof(fromFrequency), fromFrequency, "must be a positive, finite frequency");
        if (!(toFrequency > 0) || !double.IsFinite(toFrequency))
            throw new ArgumentOutOfRangeException(nameof(toFrequency), toFrequency, "must be a positive, finite frequency");
        FromFrequency = fromFrequency;
        ToFrequency = toFrequency;
        (Up, Down) = Ratio(fromFrequency, toFrequency);

        var nyquist = Math.Min(fromFrequency, toFrequency) / 2;
        PassbandEdge = PassbandFraction * nyquist;
        StopbandEdge = nyquist;
        var taps = KaiserSinc.Design(fromFrequency * Up, (PassbandEdge + StopbandEdge) / 2, StopbandEdge - PassbandEdge, StopbandAttenuationDb);
        TapCount = taps.Length;
        _centre = (taps.Length - 1) / 2;
        _phases = Polyphase(taps, Up);
    }

    public double FromFrequency { get; }

    public double ToFrequency { get; }

    /// <summary>Upsampling factor: ToFrequency / FromFrequency = Up / Down, in lowest terms.</summary>
    public int Up { get; }

    public int Down { get; }

    /// <summary>Highest frequency (Hz) passed with at most the design ripple.</summary>
    public double PassbandEdge { get; }

    /// <summary>Lowest frequency (Hz) attenuated by at least <see cref="StopbandAttenuationDb"/>: the lower Nyquist frequency.</summary>
    public double StopbandEdge { get; }

    /// <summary>Relative gain error in the passband, and gain in the stopband, of the design: 10^(-A/20).</summary>
    public static double DesignRipple => Math.Pow(10, -StopbandAttenuationDb / 20);

    public int TapCount { get; }

    /// <summary>Output samples for <paramref name="inputLength"/> input samples: up to the instant of the last input sample.</summary>
    public long OutputLength(long inputLength) =>
        inputLength <= 0 ? 0 : (long)((Int128)(inputLength - 1) * Up / Down) + 1;

    /// <summary>The output sample nearest to input sample <paramref name="sample"/>: round(sample × Up / Down), halves up.</summary>
    public long MapSample(long sample)
    {
        var (quotient, remainder) = Int128.DivRem(2 * (Int128)sample * Up + Down, 2 * (Int128)Down);
        return (long)(remainder < 0 ? quotient - 1 : quotient); // floor, for negative samples too
    }

    /// <summary>Input samples on either side of an output instant that its value depends on.</summary>
    public long Reach => _centre / Up + 1;

    /// <summary>Resamples <paramref name="input"/>; the output has <see cref="OutputLength"/> samples.</summary>
    public double[] Process(ReadOnlySpan<double> input)
    {
        var output = new double[OutputLength(input.Length)];
        var last = input.Length - 1;
        for (long k = 0; k < output.Length; k++)
        {
            // Output k sits at upsampled index k·Down; tap j of the filter meets input n where j = k·Down − n·Up + centre.
            var position = k * Down + _centre;
            var newest = position / Up;
            var taps = _phases[position - newest * Up];
            var oldest = newest - taps.Length + 1;
            double sum = 0;
            if (oldest >= 0 && newest <= last)
            {
                var window = input.Slice((int)oldest, taps.Length);
                for (var i = 0; i < taps.Length; i++) sum += taps[i] * window[taps.Length - 1 - i];
            }
            else
            {
                for (var i = 0; i < taps.Length; i++) sum += taps[i] * input[(int)Math.Clamp(newest - i, 0, last)];
            }
            output[k] = sum;
        }
        return output;
    }

    /// <summary>Up/Down in lowest terms for frequencies given to a thousandth of a hertz.</summary>
    private static (int Up, int Down) Ratio(double from, double to)
    {
        long Scaled(double f, string name)
        {
            var scaled = Math.Round(f * 1000);
            if (Math.Abs(scaled - f * 1000) > 1e-6 * Math.Max(1, f) || scaled > long.MaxValue / 2)
                throw new ArgumentException($"{f} Hz is not a whole number of millihertz; give the frequency to at most three decimals", name);
            return (long)scaled;
        }
        var (a, b) = (Scaled(to, "toFrequency"), Scaled(from, "fromFrequency"));
        var gcd = (long)System.Numerics.BigInteger.GreatestCommonDivisor(a, b);
        var (up, down) = (a / gcd, b / gcd);
        if (up > MaxFactor || down > MaxFactor)
            throw new ArgumentException(
                $"{from} Hz to {to} Hz is a ratio of {up}/{down}; factors above {MaxFactor} would need a filter of millions of taps");
        return ((int)up, (int)down);
    }

    /// <summary>Branch r holds taps r, r + up, r + 2·up, …, each branch scaled to sum to one.</summary>
    private static double[][] Polyphase(double[] taps, int up)
    {
        var phases = new double[up][];
        for (var r = 0; r < up; r++)
        {
            var branch = new double[(taps.Length - r + up - 1) / up];
            for (var i = 0; i < branch.Length; i++) branch[i] = taps[r + i * up];
            var sum = branch.Sum();
            for (var i = 0; i < branch.Length; i++) branch[i] /= sum;
            phases[r] = branch;
        }
        return phases;
    }
}
