using EcgOrleans.Abstractions;
using EcgOrleans.Ml.ClassMaps;

namespace EcgOrleans.Grains.Pipeline;

/// <summary>Between the pure accumulator of EcgOrleans.Ml and the messages that carry it.</summary>
public static class ClassMapConversions
{
    public static PartialMap ToPartial(ClassMapKey key, ClassMapAccumulator accumulator) => ToPartial(key.ToString(), accumulator);

    /// <summary>The partial map of an accumulator (its arrays, not copies: do not change the accumulator afterwards).</summary>
    public static PartialMap ToPartial(string key, ClassMapAccumulator accumulator) =>
        new(key, accumulator.WaveformLength, accumulator.Count,
            accumulator.SaliencyMean, accumulator.SaliencyM2, accumulator.BeatMean, accumulator.BeatM2);

    /// <summary>The accumulator a partial map describes; an inconsistent one is an <see cref="ArgumentException"/>.</summary>
    public static ClassMapAccumulator ToAccumulator(PartialMap partial)
    {
        var dimension = partial.SaliencyMean.Length;
        if (partial.WaveformLength <= 0 || partial.WaveformLength > dimension)
            throw new ArgumentException($"waveform length {partial.WaveformLength} does not fit maps of {dimension} values");
        return ClassMapAccumulator.FromState(partial.WaveformLength, dimension - partial.WaveformLength, partial.Count,
            partial.SaliencyMean, partial.SaliencyM2, partial.BeatMean, partial.BeatM2);
    }

    public static ClassMapView ToView(string run, string key, ClassMapAccumulator? accumulator, long merges, DateTimeOffset updated)
    {
        if (accumulator is null || accumulator.Count == 0)
            return new ClassMapView(run, key, 0, accumulator?.WaveformLength ?? 0, [], [], [], [], merges, updated);
        return new ClassMapView(run, key, accumulator.Count, accumulator.WaveformLength,
            ToFloats(accumulator.SaliencyMean), ToFloats(accumulator.SaliencyStandardDeviation()),
            ToFloats(accumulator.BeatMean), ToFloats(accumulator.BeatStandardDeviation()),
            merges, updated);
    }

    private static float[] ToFloats(double[] values) => [.. values.Select(v => (float)v)];
}
