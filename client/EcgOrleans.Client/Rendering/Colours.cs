using System.Globalization;

namespace EcgOrleans.Client.Rendering;

/// <summary>An sRGB colour, the same in the terminal (Spectre markup) and in PNG plots.</summary>
internal readonly record struct RgbColour(byte R, byte G, byte B)
{
    /// <summary>"#rrggbb", as Spectre markup and ScottPlot both read it.</summary>
    public string Hex => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    public static RgbColour Lerp(RgbColour from, RgbColour to, double t) => new(
        Channel(from.R, to.R, t), Channel(from.G, to.G, t), Channel(from.B, to.B, t));

    private static byte Channel(byte from, byte to, double t) => (byte)Math.Round(from + (to - from) * t);
}

/// <summary>
/// Piecewise-linear colour maps. Saliency uses a sequential map whose low end stays visible on dark and light
/// terminals alike (slate blue, then yellow, then red); differences use a diverging map (blue where the second
/// run leans more on a sample, red where the first does, grey where they agree).
/// </summary>
internal static class ColourMaps
{
    private static readonly RgbColour[] HeatStops =
    [
        new(0x55, 0x6b, 0x9e), // slate blue: little saliency
        new(0x3f, 0xa3, 0x8f), // teal
        new(0xf2, 0xc9, 0x3a), // yellow
        new(0xe8, 0x6a, 0x2a), // orange
        new(0xd7, 0x19, 0x1c), // red: the model leans hardest here
    ];

    private static readonly RgbColour DivergingLow = new(0x21, 0x66, 0xac);
    private static readonly RgbColour DivergingMid = new(0x9a, 0x9a, 0x9a);
    private static readonly RgbColour DivergingHigh = new(0xb2, 0x18, 0x2b);

    /// <summary>The saliency colour of an intensity in [0, 1] (clamped; NaN counts as 0).</summary>
    public static RgbColour Heat(double intensity)
    {
        var t = Clamp(intensity, 0, 1) * (HeatStops.Length - 1);
        var stop = Math.Min((int)t, HeatStops.Length - 2);
        return RgbColour.Lerp(HeatStops[stop], HeatStops[stop + 1], t - stop);
    }

    /// <summary>The colour of a signed difference in [-1, 1] (clamped; NaN counts as 0): negative blue, positive red.</summary>
    public static RgbColour Diverging(double difference)
    {
        var t = Clamp(difference, -1, 1);
        return t >= 0 ? RgbColour.Lerp(DivergingMid, DivergingHigh, t) : RgbColour.Lerp(DivergingMid, DivergingLow, -t);
    }

    private static double Clamp(double value, double low, double high) => double.IsNaN(value) ? 0 : Math.Clamp(value, low, high);
}
