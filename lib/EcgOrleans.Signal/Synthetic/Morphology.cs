using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Signal.Synthetic;

/// <summary>
/// One Gaussian event of a beat (P, Q, R, S, T, a pacing spike...) on one lead, in time units:
/// amplitude·exp(-(t - R - Offset)² / (2·Width²)). ECGSYN states the same events as angles θᵢ and
/// widths bᵢ on the limit cycle; given in seconds they keep their duration when the RR interval
/// changes, which a premature beat needs (its QRS is not narrower for coming early).
/// </summary>
/// <param name="Offset">Centre relative to the beat's R time, seconds.</param>
/// <param name="Width">Gaussian standard deviation, seconds.</param>
/// <param name="Amplitude">Peak height, mV.</param>
internal readonly record struct WaveEvent(double Offset, double Width, double Amplitude)
{
    public WaveEvent Scaled(double factor) => this with { Amplitude = Amplitude * factor };

    public WaveEvent Shifted(double seconds) => this with { Offset = Offset + seconds };
}

/// <summary>A beat's events on both leads and the sign of its main QRS deflection on MLII.</summary>
internal sealed record BeatShape(WaveEvent[] Mlii, WaveEvent[] V1, int Polarity);

/// <summary>
/// The "patient" of a record: fixed morphology traits drawn once per record, so that records differ
/// from each other as patients do (the inter-patient problem of MIT-BIH) while beats of one class in
/// one record look alike.
/// </summary>
internal sealed record PatientProfile(
    double PrInterval,
    double PAmplitude,
    double RAmplitude,
    double QrsWidth,
    double TAmplitude,
    double V1R,
    double V1S,
    double V1T,
    int EctopicPPolarity,
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
    public static PatientProfile Draw(SeededRandom random) => new(
        PrInterval: random.Uniform(0.14, 0.18),
        PAmplitude: random.Uniform(0.10, 0.18),
        RAmplitude: random.Uniform(0.9, 1.6),
        QrsWidth: random.Uniform(0.9, 1.15),
        TAmplitude: random.Uniform(0.2, 0.4),
        V1R: random.Uniform(0.12, 0.35),
        V1S: random.Uniform(0.6, 1.2),
        V1T: random.Uniform(-0.1, 0.25),
        EctopicPPolarity: random.Sign(),
        VPolarity: random.Sign(),
        VPolarityV1: random.Chance(0.75) ? -1 : 1,
        VAmplitude: random.Uniform(1.4, 2.2),
        VWidth: random.Uniform(1.0, 1.3),
        FusionWeight: random.Uniform(0.4, 0.6),
        PacedPolarity: random.Chance(0.7) ? 1 : -1,
        PacedAmplitude: random.Uniform(0.9, 1.5),
        PacedWidth: random.Uniform(1.0, 1.2),
        SpikeAmplitude: random.Uniform(1.2, 2.5) * random.Sign(),
        RespiratoryFrequency: random.Uniform(0.15, 0.35),
        RespiratoryPhase: random.Uniform(0, 2 * Math.PI));
}

/// <summary>
/// The PQRST events of each class. Normal beats follow ECGSYN's default event order and spacing
/// (P, Q, R, S, T at -70°, -15°, 0°, 15°, 100° at 60 bpm: -194, -42, 0, 42, 278 ms) with a narrower
/// QRS, as MIT-BIH's MLII shows it; the T wave moves with √RR (ECGSYN scales its angles with the
/// heart rate for the same QT dependence). The other classes change the events of the cycle:
/// S a different, earlier P'; V no P, wide large QRS and a discordant T; F a blend of N and V;
/// Q a pacing spike before a wide QRS.
/// </summary>
internal static class Morphology
{
    public const double SpikeWidth = 0.0015;

    public static BeatShape For(AamiClass beatClass, PatientProfile p, double previousRr, double qrsModulation, SeededRandom jitter)
    {
        var qt = Math.Sqrt(Math.Clamp(previousRr, 0.3, 2.0));
        var shape = beatClass switch
        {
            AamiClass.N => Normal(p, qt, qrsModulation),
            AamiClass.S => Supraventricular(p, qt, qrsModulation),
            AamiClass.V => Ventricular(p, qt, qrsModulation),
            AamiClass.F => Fusion(p, qt, qrsModulation),
            AamiClass.Q => Paced(p, qt, qrsModulation),
            _ => throw new ArgumentOutOfRangeException(nameof(beatClass), beatClass, "not a beat class"),
        };
        // Beat-to-beat variation: every event but the main R (which fixes the fiducial point) moves a little.
        return shape with { Mlii = Jitter(shape.Mlii, jitter), V1 = Jitter(shape.V1, jitter) };
    }

    private static BeatShape Normal(PatientProfile p, double qt, double m) =>
        new([NormalP(p), .. NormalQrs(p, m), NormalT(p, qt)], [.. NormalPV1(p), .. NormalQrsV1(p, m), NormalTV1(p, qt)], 1);

    private static BeatShape Supraventricular(PatientProfile p, double qt, double m)
    {
        // An ectopic atrial focus: P' of another shape (inverted, or biphasic), a little earlier than the sinus P.
        var at = -p.PrInterval - 0.02;
        WaveEvent[] pMlii = p.EctopicPPolarity < 0
            ? [new(at, 0.018, -0.8 * p.PAmplitude)]
            : [new(at - 0.015, 0.013, 1.1 * p.PAmplitude), new(at + 0.015, 0.013, -0.7 * p.PAmplitude)];
        WaveEvent[] pV1 = p.EctopicPPolarity < 0 ? [new(at, 0.018, 0.5 * p.PAmplitude)] : [new(at, 0.016, -0.6 * p.PAmplitude)];
        return new([.. pMlii, .. NormalQrs(p, m), NormalT(p, qt)], [.. pV1, .. NormalQrsV1(p, m), NormalTV1(p, qt)], 1);
    }

    private static BeatShape Ventricular(PatientProfile p, double qt, double m)
    {
        // No P; a wide QRS with a slurred terminal part of the opposite sign; ST-T discordant to the QRS.
        var s = p.VPolarity;
        var w = p.VWidth;
        var a = p.VAmplitude * m;
        WaveEvent[] mlii =
        [
            new(0, 0.027 * w, s * a),
            new(0.048 * w, 0.026 * w, -s * 0.3 * a),
            new(0.29 * qt, 0.07 * qt, -s * 0.18 * a),
        ];
        var s1 = p.VPolarityV1;
        WaveEvent[] v1 =
        [
            new(0.005, 0.031 * w, s1 * 0.8 * a),
            new(0.29 * qt, 0.07 * qt, -s1 * 0.15 * a),
        ];
        return new(mlii, v1, s);
    }

    private static BeatShape Fusion(PatientProfile p, double qt, double m)
    {
        // Sinus activation and an ectopic ventricular one meet: the sinus P, then a QRS-T that blends both.
        var w = p.FusionWeight;
        var normal = Normal(p, qt, m);
        var ventricular = Ventricular(p, qt, m);
        // P events (one on MLII, two on V1) stay whole; the QRS-T events of both beats are weighted.
        WaveEvent[] Blend(WaveEvent[] n, WaveEvent[] v, int pEvents) =>
            [.. n[..pEvents], .. n[pEvents..].Select(e => e.Scaled(1 - w)), .. v.Select(e => e.Shifted(-0.008).Scaled(w))];
        var mlii = Blend(normal.Mlii, ventricular.Mlii, 1);
        var v1 = Blend(normal.V1, ventricular.V1, 2);
        return new(mlii, v1, QrsValueAtR(mlii) < 0 ? -1 : 1);
    }

    private static BeatShape Paced(PatientProfile p, double qt, double m)
    {
        // Ventricular pacing: a spike a few ms before a wide, notched (LBBB-like) QRS, and a discordant T.
        var s = p.PacedPolarity;
        var w = p.PacedWidth;
        var a = p.PacedAmplitude * m;
        var first = new WaveEvent(-0.015 * w, 0.026 * w, s * 0.85 * a);
        var spikeAt = first.Offset - 2.5 * first.Width - 0.006;
        WaveEvent[] mlii =
        [
            new(spikeAt, SpikeWidth, p.SpikeAmplitude),
            first,
            new(0.035 * w, 0.024 * w, s * 0.55 * a),
            new(0.31 * qt, 0.08 * qt, -s * 0.3),
        ];
        WaveEvent[] v1 =
        [
            new(spikeAt, SpikeWidth, 0.6 * p.SpikeAmplitude),
            new(0.01, 0.034 * w, -1.0 * a),
            new(0.31 * qt, 0.08 * qt, 0.3),
        ];
        return new(mlii, v1, s);
    }

    private static WaveEvent NormalP(PatientProfile p) => new(-p.PrInterval, 0.022, p.PAmplitude);

    private static WaveEvent[] NormalQrs(PatientProfile p, double m)
    {
        var w = p.QrsWidth;
        var r = p.RAmplitude * m;
        return [new(-0.03 * w, 0.008 * w, -0.08 * r), new(0, 0.0105 * w, r), new(0.028 * w, 0.009 * w, -0.2 * r)];
    }

    private static WaveEvent NormalT(PatientProfile p, double qt) => new(0.24 * qt, 0.055 * qt, p.TAmplitude);

    private static WaveEvent[] NormalPV1(PatientProfile p) =>
        [new(-p.PrInterval - 0.012, 0.015, 0.5 * p.PAmplitude), new(-p.PrInterval + 0.016, 0.015, -0.4 * p.PAmplitude)];

    private static WaveEvent[] NormalQrsV1(PatientProfile p, double m)
    {
        var w = p.QrsWidth;
        return [new(-0.01 * w, 0.009 * w, p.V1R * m), new(0.018 * w, 0.014 * w, -p.V1S * m)];
    }

    private static WaveEvent NormalTV1(PatientProfile p, double qt) => new(0.25 * qt, 0.06 * qt, p.V1T);

    /// <summary>The Gaussian sum at the R time, over events within 60 ms of it: the sign of the QRS there.</summary>
    private static double QrsValueAtR(WaveEvent[] events) =>
        events.Where(e => Math.Abs(e.Offset) < 0.06 && e.Width > SpikeWidth)
            .Sum(e => e.Amplitude * Math.Exp(-e.Offset * e.Offset / (2 * e.Width * e.Width)));

    private static WaveEvent[] Jitter(WaveEvent[] events, SeededRandom random)
    {
        var result = new WaveEvent[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            var isFiducial = e.Offset == 0;
            var spike = e.Width <= SpikeWidth;
            result[i] = new WaveEvent(
                isFiducial ? 0 : e.Offset + 0.0015 * random.Gaussian(),
                spike ? e.Width : e.Width * (1 + 0.03 * random.Gaussian()),
                e.Amplitude * (1 + 0.04 * random.Gaussian()));
        }
        return result;
    }
}
