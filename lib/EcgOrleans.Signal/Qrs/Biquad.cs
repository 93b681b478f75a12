namespace EcgOrleans.Signal.Qrs;

/// <summary>
/// A second-order IIR section (direct form II transposed), designed as a Butterworth low- or high-pass
/// with the bilinear transform (R. Bristow-Johnson's "Audio EQ cookbook" formulas, Q = 1/√2).
/// Sample by sample, so its output does not depend on how the input is chunked.
/// </summary>
internal struct Biquad
{
    private readonly double _b0, _b1, _b2, _a1, _a2;
    private double _z1, _z2;

    private Biquad(double b0, double b1, double b2, double a0, double a1, double a2)
    {
        _b0 = b0 / a0;
        _b1 = b1 / a0;
        _b2 = b2 / a0;
        _a1 = a1 / a0;
        _a2 = a2 / a0;
    }

    public static Biquad LowPass(double cutoffHz, double samplingFrequency)
    {
        var (cos, alpha) = Prewarp(cutoffHz, samplingFrequency);
        return new Biquad((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    public static Biquad HighPass(double cutoffHz, double samplingFrequency)
    {
        var (cos, alpha) = Prewarp(cutoffHz, samplingFrequency);
        return new Biquad((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /// <summary>Sets the state as if the input had always been <paramref name="x"/>: no start-up transient.</summary>
    public void Settle(double x)
    {
        var y = (_b0 + _b1 + _b2) / (1 + _a1 + _a2) * x; // the DC gain times x
        _z2 = _b2 * x - _a2 * y;
        _z1 = _b1 * x - _a1 * y + _z2;
    }

    public double Next(double x)
    {
        var y = _b0 * x + _z1;
        _z1 = _b1 * x - _a1 * y + _z2;
        _z2 = _b2 * x - _a2 * y;
        return y;
    }

    /// <summary>The state (the coefficients follow from the design).</summary>
    public readonly void Save(BinaryWriter writer)
    {
        writer.Write(_z1);
        writer.Write(_z2);
    }

    public void Load(BinaryReader reader)
    {
        _z1 = reader.ReadDouble();
        _z2 = reader.ReadDouble();
    }

    private static (double Cos, double Alpha) Prewarp(double cutoffHz, double samplingFrequency)
    {
        if (!(cutoffHz > 0 && cutoffHz < samplingFrequency / 2))
            throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, $"must lie strictly between 0 and the Nyquist frequency {samplingFrequency / 2} Hz");
        var w0 = 2 * Math.PI * cutoffHz / samplingFrequency;
        return (Math.Cos(w0), Math.Sin(w0) / Math.Sqrt(2)); // alpha = sin(w0) / (2Q), Q = 1/sqrt(2)
    }
}
