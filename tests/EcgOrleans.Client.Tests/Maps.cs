using EcgOrleans.Abstractions;
using EcgOrleans.Client.Maps;

namespace EcgOrleans.Client.Tests;

/// <summary>Class maps and runs built by hand, with values chosen so that every figure can be worked out on paper.</summary>
internal static class Maps
{
    /// <summary>A map of <paramref name="waveform"/> + <paramref name="rhythm"/> values; saliency and beat given, SDs a constant.</summary>
    public static ClassMapView View(string key, long count, float[] saliency, float[]? beat = null, int? waveformLength = null, string run = "a")
    {
        var length = waveformLength ?? saliency.Length;
        var values = beat ?? [.. Enumerable.Range(0, saliency.Length).Select(i => (float)Math.Sin(i / 4.0))];
        return new ClassMapView(run, key, count, length, saliency, [.. saliency.Select(_ => 0.1f)], values, [.. values.Select(_ => 0.2f)],
            Merges: count, DateTimeOffset.UnixEpoch);
    }

    /// <summary>A window-representation map (256 samples + 4 rhythm features) with a saliency bump at <paramref name="peak"/>.</summary>
    public static ClassMapView Window(string key, long count, int peak = 96, float rhythmSaliency = 0.2f, float height = 0.8f, string run = "a")
    {
        var saliency = new float[256 + 4];
        for (var i = 0; i < 256; i++) saliency[i] = height * (float)Math.Exp(-Math.Pow((i - peak) / 6.0, 2));
        for (var i = 256; i < 260; i++) saliency[i] = rhythmSaliency;
        var beat = new float[260];
        for (var i = 0; i < 256; i++) beat[i] = (float)Math.Exp(-Math.Pow((i - 96) / 4.0, 2)) * 3 - 0.2f;
        for (var i = 256; i < 260; i++) beat[i] = 1;
        return View(key, count, saliency, beat, 256, run);
    }

    public static RunConfig Config(string name, string representation = "window", int waveform = 256, int rhythm = 4) =>
        new(name, "kachuee-window-ds1@1", "vanilla", "predicted", representation, waveform, rhythm, DateTimeOffset.UnixEpoch);

    public static RunMaps Run(string name, params ClassMapView[] maps) =>
        new(Config(name), maps.Sum(m => m.Key.StartsWith("reference/", StringComparison.Ordinal) ? m.Count : 0), 3, maps, DateTimeOffset.UnixEpoch);
}
