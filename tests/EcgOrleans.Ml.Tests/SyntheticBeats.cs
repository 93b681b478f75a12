using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Tests;

/// <summary>
/// Beats that a model can learn in a few seconds: each class has its own bump position and width plus
/// noise, and its own rhythm pattern. Only for tests of the training machinery, not of ECG realism.
/// </summary>
internal static class SyntheticBeats
{
    public static List<Beat> Make(int perClass, int length, int seed, params AamiClass[] classes) =>
        Make(perClass, length, seed, ["syn0", "syn1", "syn2"], classes);

    /// <summary>Beats spread round-robin over <paramref name="records"/>.</summary>
    public static List<Beat> Make(int perClass, int length, int seed, IReadOnlyList<string> records, params AamiClass[] classes)
    {
        if (classes.Length == 0) classes = [.. Aami.Classes];
        var random = new Random(seed);
        var beats = new List<Beat>();
        foreach (var c in classes)
        {
            for (var i = 0; i < perClass; i++)
            {
                var centre = length * (0.2 + 0.15 * (int)c) + random.NextDouble() * 4;
                var width = 2.0 + (int)c * 1.5;
                var waveform = new float[length];
                for (var t = 0; t < length; t++)
                    waveform[t] = (float)(Math.Exp(-Math.Pow((t - centre) / width, 2)) + 0.1 * (random.NextDouble() - 0.5));
                float[] rhythm = [(float)(1 - 0.1 * (int)c + 0.05 * random.NextDouble()), 1f, 1f, 0.8f, (float)(1 + 0.2 * (int)c), 0.1f * (int)c];
                beats.Add(new Beat(records[i % records.Count], i * 300, c, null, waveform, rhythm));
            }
        }
        return beats;
    }
}
