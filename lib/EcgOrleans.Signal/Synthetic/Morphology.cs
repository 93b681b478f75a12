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
/// The PQRST events of each class. Normal beats follow ECGSYN's default event order and spacing
/// (P, Q, R, S, T at -70°, -15°, 0°, 15°, 100° at 60 bpm: -194, -42, 0, 42, 278 ms) with a narrower
/// QRS, as MIT-BIH's MLII shows it; the T wave moves with √RR (ECGSYN scales its angles with the
/// heart rate for the same QT dependence), its time and the S wave's depth being the patient's. The
/// other classes change the events of the cycle: S an ectopic P' after a longer P'R, then the patient's
/// own QRS; V no P, wide large QRS and a discordant T; F a blend of N and V; Q a pacing spike (the
/// fiducial point, as MIT-BIH marks paced beats) and a wide QRS after it.
/// </summary>
internal static class Morphology
{
    public const double SpikeWidth = 0.002;

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
        // An ectopic atrial focus: a P' unlike the sinus P, after a longer P'R. The beat comes early, so P' tends
        // to land on the preceding T wave, as in MIT-BIH's atrial premature beats; the QRS is conducted normally.
        var at = -p.PrInterval - p.EctopicPrDelay;
        var (pMlii, pV1) = p.AtrialFocus switch
        {
            AtrialFocus.Low => (new WaveEvent[] { new(at, 0.018, -0.7 * p.PAmplitude) }, new WaveEvent[] { new(at, 0.018, 0.5 * p.PAmplitude) }),
            AtrialFocus.High => ([new(at - 0.012, 0.013, 0.9 * p.PAmplitude), new(at + 0.014, 0.013, -0.6 * p.PAmplitude)], [new(at, 0.016, -0.6 * p.PAmplitude)]),
            _ => ([new(-0.09, 0.015, -0.4 * p.PAmplitude)], [new(-0.09, 0.015, 0.3 * p.PAmplitude)]),
        };
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
        // Ventricular pacing, as MIT-BIH's paced records show it on MLII: the pacing spike, a wide QRS whose early
        // part is positive (or small, for a lead whose axis points the other way) and whose late part is a broad
        // negative wave (the ventricles depolarise from the lead's tip, cell to cell), and a T wave discordant to
        // it. MIT-BIH marks a paced beat on its spike, so the spike is the beat's fiducial point here too.
        var w = p.PacedWidth;
        var a = p.PacedAmplitude * m;
        var early = p.PacedPolarity > 0 ? 0.8 : 0.15;
        WaveEvent[] mlii =
        [
            new(0, SpikeWidth, p.SpikeAmplitude),
            new(0.03 * w, 0.022 * w, early * a),
            new(0.085 * w, 0.03 * w, -0.9 * a),
            new(0.34 * qt, 0.08 * qt, 0.3),
        ];
        WaveEvent[] v1 =
        [
            new(0, SpikeWidth, 0.6 * p.SpikeAmplitude),
            new(0.06 * w, 0.034 * w, -1.0 * a),
            new(0.34 * qt, 0.08 * qt, 0.3),
        ];
        return new(mlii, v1, Math.Sign(p.SpikeAmplitude));
    }

    private static WaveEvent NormalP(PatientProfile p) => new(-p.PrInterval, 0.022, p.PAmplitude);

    private static WaveEvent[] NormalQrs(PatientProfile p, double m)
    {
        var w = p.QrsWidth;
        var r = p.RAmplitude * m;
        // The S wave's Gaussian also has to cancel the tail of the R wave, hence the 0.1 on top of the depth.
        return [new(-0.03 * w, 0.008 * w, -0.08 * r), new(0, 0.0105 * w, r), new(0.024 * w, 0.008 * w, -(p.SDepth + 0.1) * r)];
    }

    private static WaveEvent NormalT(PatientProfile p, double qt) => new(p.TPeak * qt, 0.055 * qt, p.TAmplitude);

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
