using EcgOrleans.Abstractions;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Client.Rendering;

/// <summary>Where each sample of a beat lies in time: milliseconds from the R peak, from the run's representation.</summary>
internal sealed record BeatAxis(double SamplingFrequency, int SamplesBeforeR)
{
    /// <summary>The axis of a run's beats; a representation this client does not know is drawn in samples from the start (1 kHz, R at 0).</summary>
    public static BeatAxis Of(RunConfig config)
    {
        try
        {
            var representation = BeatRepresentation.Parse(config.Representation);
            return representation.Length == config.WaveformLength
                ? new BeatAxis(representation.SamplingFrequency, representation.SamplesBeforeR)
                : Samples;
        }
        catch (ArgumentException)
        {
            return Samples;
        }
    }

    /// <summary>A plain sample axis: 1 "ms" per sample, from 0.</summary>
    public static BeatAxis Samples { get; } = new(1000, 0);

    public double Milliseconds(double sample) => (sample - SamplesBeforeR) * 1000 / SamplingFrequency;

    /// <summary>The time of each of the first <paramref name="samples"/> samples.</summary>
    public double[] Times(int samples) => [.. Enumerable.Range(0, samples).Select(i => Milliseconds((double)i))];
}
