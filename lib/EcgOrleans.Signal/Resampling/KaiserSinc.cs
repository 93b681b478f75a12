namespace EcgOrleans.Signal.Resampling;

/// <summary>
/// A linear-phase low-pass FIR filter: a sinc cut off at a given frequency, shaped by a Kaiser window whose β and
/// length come from Kaiser's empirical design formulas for a stopband attenuation and a transition width
/// (Oppenheim and Schafer, Discrete-Time Signal Processing, section 7.6).
/// </summary>
internal static class KaiserSinc
{
    /// <summary>An odd number of taps, symmetric about the middle one; the scale is left to the caller.</summary>
    public static double[] Design(double sampleRate, double cutoff, double transitionWidth, double attenuationDb)
    {
        var beta = attenuationDb > 50 ? 0.1102 * (attenuationDb - 8.7)
            : attenuationDb >= 21 ? 0.5842 * Math.Pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21)
            : 0;
        var width = 2 * Math.PI * transitionWidth / sampleRate; // radians per sample
        var order = (int)Math.Ceiling((attenuationDb - 8) / (2.285 * width));
        var half = (order + 1) / 2;
        var taps = new double[2 * half + 1];
        var normaliser = BesselI0(beta);
        var fc = cutoff / sampleRate; // cycles per sample
        for (var n = 0; n < taps.Length; n++)
        {
            var m = n - half;
            var sinc = m == 0 ? 2 * fc : Math.Sin(2 * Math.PI * fc * m) / (Math.PI * m);
            var r = (double)m / half;
            taps[n] = sinc * BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - r * r))) / normaliser;
        }
        return taps;
    }

    /// <summary>The modified Bessel function of the first kind, order zero, by its power series.</summary>
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, quarter = x * x / 4;
        for (var k = 1; k < 500 && term > 1e-17 * sum; k++)
        {
            term *= quarter / ((double)k * k);
            sum += term;
        }
        return sum;
    }
}
