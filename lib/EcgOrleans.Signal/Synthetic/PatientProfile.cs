namespace EcgOrleans.Signal.Synthetic;

/// <summary>Where an ectopic atrial focus sits, which sets the shape of its P' wave on MLII.</summary>
internal enum AtrialFocus
{
    /// <summary>Low in the atria: the atria depolarise upwards, so P' is inverted in the inferior leads.</summary>
    Low,

    /// <summary>Near the sinus node but off it: P' upright, then a negative part (biphasic).</summary>
    High,

    /// <summary>Close to the AV junction: P' small and inverted, with a short P'R.</summary>
    Junctional,
}

/// <summary>
/// The "patient" of a record: fixed morphology traits drawn once per record, so that records differ
/// from each other as patients do (the inter-patient problem of MIT-BIH) while beats of one class in
/// one record look alike. The ranges follow the MLII beats of MIT-BIH's training records (DS1):
/// the S wave runs from a trace to about two thirds of the R wave, the T wave peaks 250 to 310 ms
/// after R at 60 bpm.
/// </summary>
internal sealed record PatientProfile(
    double PrInterval,
    double PAmplitude,
    double RAmplitude,
    double QrsWidth,
    double SDepth,
    double TPeak,
    double TAmplitude,
    double V1R,
    double V1S,
    double V1T,
    AtrialFocus AtrialFocus,
    double EctopicPrDelay,
    int VPolarity,
    int VPolarityV1,
    double VAmplitude,
    double VWidth,
    double FusionWeight,
    int PacedPolarity,
    double PacedAmplitude,
    double PacedWidth,
    double SpikeAmplitude,
    double RespiratoryFrequency,
    double RespiratoryPhase)
{
    /// <summary>The S wave's depth over the R wave's height on MLII, as DS1's records span it.</summary>
    public const double MinSDepth = 0.05, MaxSDepth = 0.65;

    /// <summary>The QRS's time scale: 1 is an R wave 25 ms wide at half its height; DS1's records span 19 to 30 ms and more.</summary>
    public const double MinQrsWidth = 0.75, MaxQrsWidth = 1.2;

    public static PatientProfile Draw(SeededRandom random, SyntheticOptions options) => new(
        PrInterval: random.Uniform(0.14, 0.18),
        PAmplitude: random.Uniform(0.10, 0.18),
        RAmplitude: random.Uniform(0.9, 1.6),
        QrsWidth: Given(random.Uniform(MinQrsWidth, MaxQrsWidth), options.QrsWidth),
        SDepth: Given(random.Uniform(MinSDepth, MaxSDepth), options.SWaveDepth),
        TPeak: random.Uniform(0.25, 0.31),
        TAmplitude: random.Uniform(0.2, 0.4),
        V1R: random.Uniform(0.12, 0.35),
        V1S: random.Uniform(0.6, 1.2),
        V1T: random.Uniform(-0.1, 0.25),
        AtrialFocus: (AtrialFocus)random.Choose([1.0, 1.0, 1.0]),
        // The AV node is still partly refractory when a premature impulse reaches it: P'R is longer than PR.
        EctopicPrDelay: random.Uniform(0.01, 0.06),
        VPolarity: random.Sign(),
        VPolarityV1: random.Chance(0.75) ? -1 : 1,
        VAmplitude: random.Uniform(1.4, 2.2),
        VWidth: random.Uniform(1.0, 1.3),
        FusionWeight: random.Uniform(0.4, 0.6),
        PacedPolarity: random.Chance(0.7) ? 1 : -1,
        PacedAmplitude: random.Uniform(0.9, 1.5),
        PacedWidth: random.Uniform(1.0, 1.2),
        SpikeAmplitude: random.Uniform(1.2, 2.5) * (random.Chance(0.8) ? 1 : -1),
        RespiratoryFrequency: random.Uniform(0.15, 0.35),
        RespiratoryPhase: random.Uniform(0, 2 * Math.PI));

    /// <summary>The option's value when it gives one, else the drawn one (drawn either way, so the other traits stay put).</summary>
    private static double Given(double drawn, double? option) => option ?? drawn;
}
