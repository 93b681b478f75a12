using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Signal.Synthetic;

/// <summary>
/// What a synthetic record looks like. The class probabilities are relative weights of the beat
/// classes (they need not sum to 1) of the beats that start an event: a ventricular premature beat is
/// always followed by a normal one, an atrial one may start a short run of them (Rhythm), so the V share
/// comes out a little below its weight and the S share above it.
/// </summary>
/// <param name="Seed">Everything random derives from it: the same options give the same record.</param>
/// <param name="SamplingFrequency">Output rate in Hz (MIT-BIH: 360).</param>
/// <param name="HeartRate">Mean sinus rate in beats per minute.</param>
/// <param name="HeartRateStd">Standard deviation of the sinus rate in bpm (ECGSYN's hrstd, default there 1).</param>
/// <param name="LfHfRatio">Power ratio of the Mayer-wave (0.1 Hz) and respiratory (RSA) components of the RR process (ECGSYN: 0.5).</param>
/// <param name="Normal">Weight of normal beats (code N).</param>
/// <param name="Supraventricular">Weight of atrial premature beats (code A, class S).</param>
/// <param name="Ventricular">Weight of premature ventricular contractions (code V).</param>
/// <param name="Fusion">Weight of fusion beats (code F).</param>
/// <param name="Paced">Weight of paced beats (code /, class Q).</param>
/// <param name="NoiseLevel">Standard deviation of the white measurement noise, mV.</param>
/// <param name="BaselineWander">Amplitude of the baseline wander (respiration and a slower drift), mV (ECGSYN: 0.15).</param>
/// <param name="Oversampling">RK4 steps per output sample: the ODEs are integrated at this multiple of the output rate.</param>
/// <param name="QrsWidth">The patient's QRS time scale (1: an R wave 25 ms wide at half height); null draws it, as every other trait of the patient.</param>
/// <param name="SWaveDepth">The patient's S wave on MLII over the R wave; null draws it.</param>
public sealed record SyntheticOptions(
    int Seed,
    double SamplingFrequency = 360,
    double HeartRate = 72,
    double HeartRateStd = 2,
    double LfHfRatio = 0.5,
    double Normal = 0.78,
    double Supraventricular = 0.07,
    double Ventricular = 0.08,
    double Fusion = 0.04,
    double Paced = 0.03,
    double NoiseLevel = 0.015,
    double BaselineWander = 0.1,
    int Oversampling = 4,
    double? QrsWidth = null,
    double? SWaveDepth = null)
{
    /// <summary>The class weights in <see cref="Aami.Classes"/> order (N, S, V, F, Q).</summary>
    public double[] ClassWeights => [Normal, Supraventricular, Ventricular, Fusion, Paced];

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(SamplingFrequency is >= 100 and <= 10_000, nameof(SamplingFrequency), $"{SamplingFrequency} Hz is not between 100 and 10000");
        Require(HeartRate is >= 30 and <= 200, nameof(HeartRate), $"{HeartRate} bpm is not between 30 and 200");
        Require(HeartRateStd is >= 0 and <= 20, nameof(HeartRateStd), $"{HeartRateStd} bpm is not between 0 and 20");
        Require(LfHfRatio is >= 0 and <= 100, nameof(LfHfRatio), $"{LfHfRatio} is not between 0 and 100");
        var weights = ClassWeights;
        for (var i = 0; i < weights.Length; i++)
            Require(double.IsFinite(weights[i]) && weights[i] >= 0, $"class weight {Aami.Classes[i]}", $"{weights[i]} is not a non-negative number");
        Require(weights.Sum() > 0, "class weights", "at least one class needs a positive weight");
        Require(NoiseLevel is >= 0 and <= 5, nameof(NoiseLevel), $"{NoiseLevel} mV is not between 0 and 5");
        Require(BaselineWander is >= 0 and <= 5, nameof(BaselineWander), $"{BaselineWander} mV is not between 0 and 5");
        Require(Oversampling is >= 1 and <= 64, nameof(Oversampling), $"{Oversampling} is not between 1 and 64");
        Require(QrsWidth is null or (>= 0.5 and <= 2), nameof(QrsWidth), $"{QrsWidth} is not between 0.5 and 2");
        Require(SWaveDepth is null or (>= 0 and <= 1), nameof(SWaveDepth), $"{SWaveDepth} is not between 0 and 1");
    }

    private static void Require(bool condition, string option, string problem)
    {
        if (!condition) throw new ArgumentException($"synthetic ECG option {option}: {problem}", option);
    }
}
