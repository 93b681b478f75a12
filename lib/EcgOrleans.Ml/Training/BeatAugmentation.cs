using EcgOrleans.Ml.Runtime;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Training;

/// <summary>
/// Random perturbations of training beats that a beat's class must survive: a shift of the R peak by a few
/// samples (annotation jitter), a change of amplitude, a baseline offset and white noise. Patients differ
/// in exactly these ways, so the model should not key on them. Drawn from torch's generator: reproducible
/// for a seed.
/// </summary>
/// <param name="MaxShift">Largest shift in samples, either way; the edge sample fills the gap.</param>
/// <param name="ScaleRange">Amplitude factor drawn from [1 - range, 1 + range].</param>
/// <param name="OffsetRange">Baseline offset drawn from [-range, range] (in the representation's units).</param>
/// <param name="NoiseStd">Standard deviation of added Gaussian noise.</param>
/// <param name="RateFactor">
/// The record's average RR (the last rhythm feature, in seconds) is multiplied by a factor drawn log-uniformly
/// from [1 / factor, factor]: an absolute heart rate identifies a patient (DS1's F beats nearly all come from
/// one record at 0.6 s), and a model that may read it exactly learns patients instead of beats. 1 leaves it.
/// </param>
/// <param name="WaveformDropout">
/// Share of beats whose waveform is blanked (all zeros), so that the model must then classify from the beat
/// features alone. Without it a network fits the training patients' waveforms so well that it never learns to
/// lean on the patient-relative features, which are what carries over to new patients.
/// </param>
public sealed record BeatAugmentation(int MaxShift, double ScaleRange, double OffsetRange, double NoiseStd, double RateFactor = 1, double WaveformDropout = 0)
{
    /// <summary>No change at all.</summary>
    public static BeatAugmentation None { get; } = new(0, 0, 0, 0);

    private const int AverageRrFeature = 3;

    /// <summary>
    /// Defaults for a representation sampled at <paramref name="samplingFrequency"/> whose values have the
    /// spread <paramref name="valueScale"/> (1 for per-beat standardised windows, about 0.25 for [0, 1] beats):
    /// up to 10 ms of shift, ±10 % amplitude, 5 % of the spread as offset and 2 % as noise.
    /// </summary>
    public static BeatAugmentation For(double samplingFrequency, double valueScale) =>
        new((int)Math.Round(0.010 * samplingFrequency), 0.1, 0.05 * valueScale, 0.02 * valueScale);

    public bool IsNone => MaxShift == 0 && ScaleRange == 0 && OffsetRange == 0 && NoiseStd == 0 && RateFactor == 1 && WaveformDropout == 0;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxShift, nameof(MaxShift));
        if (ScaleRange is < 0 or >= 1 || double.IsNaN(ScaleRange)) throw new ArgumentOutOfRangeException(nameof(ScaleRange), ScaleRange, "must lie in [0, 1)");
        if (!(OffsetRange >= 0) || !double.IsFinite(OffsetRange)) throw new ArgumentOutOfRangeException(nameof(OffsetRange), OffsetRange, "must be zero or positive");
        if (!(NoiseStd >= 0) || !double.IsFinite(NoiseStd)) throw new ArgumentOutOfRangeException(nameof(NoiseStd), NoiseStd, "must be zero or positive");
        if (!(RateFactor >= 1) || !double.IsFinite(RateFactor)) throw new ArgumentOutOfRangeException(nameof(RateFactor), RateFactor, "must be at least 1");
        if (WaveformDropout is < 0 or >= 1 || double.IsNaN(WaveformDropout))
            throw new ArgumentOutOfRangeException(nameof(WaveformDropout), WaveformDropout, "must lie in [0, 1)");
    }

    /// <summary>A perturbed copy of a batch of rhythm features [B, R] (only the average RR changes; R = 0 passes through).</summary>
    public Tensor ApplyToRhythm(Tensor rhythm)
    {
        if (RateFactor == 1 || rhythm.shape[1] <= AverageRrFeature) return rhythm;
        var logFactor = SymmetricUniform(rhythm.shape[0]).Times(Math.Log(RateFactor));
        var scale = ones_like(rhythm);
        scale[.., AverageRrFeature] = logFactor.exp();
        return rhythm * scale;
    }

    /// <summary>A perturbed copy of a batch of waveforms [B, 1, L].</summary>
    public Tensor Apply(Tensor waveform)
    {
        if (MaxShift == 0 && ScaleRange == 0 && OffsetRange == 0 && NoiseStd == 0 && WaveformDropout == 0) return waveform;
        var (batch, length) = (waveform.shape[0], waveform.shape[2]);
        var x = waveform;
        if (MaxShift > 0)
        {
            // Sample t of the shifted beat is sample t - shift of the original, clamped to the edges.
            var shift = randint(-MaxShift, MaxShift + 1, [batch, 1, 1], dtype: ScalarType.Int64);
            var index = TorchScalars.Range(length).reshape(1, 1, length).Minus(shift).Clamp(0, length - 1);
            x = x.gather(2, index);
        }
        if (ScaleRange > 0) x = x * SymmetricUniform(batch, 1, 1).Times(ScaleRange).Plus(1);
        if (OffsetRange > 0) x = x.Plus(SymmetricUniform(batch, 1, 1).Times(OffsetRange));
        if (NoiseStd > 0) x = x.Plus(randn_like(x).Times(NoiseStd));
        if (WaveformDropout > 0) x = x * rand(batch, 1, 1).AtLeast(WaveformDropout).to_type(x.dtype);
        return x;
    }

    /// <summary>Uniform on [-1, 1): 2 · rand - 1.</summary>
    private static Tensor SymmetricUniform(params long[] shape) => rand(shape).Times(2).Minus(1);
}
