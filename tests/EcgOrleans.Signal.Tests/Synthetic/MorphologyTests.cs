using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Synthetic;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Tests.Synthetic;

/// <summary>
/// One record with every class in numbers, without noise or wander so that small waves can be measured:
/// five minutes at 55 bpm, with ECGSYN's default heart-rate variability (1 bpm).
/// </summary>
public sealed class ArrhythmiaRecord
{
    public ArrhythmiaRecord()
    {
        var options = new SyntheticOptions(Seed: 424242, HeartRate: 55, HeartRateStd: 1, Normal: 0.4, Supraventricular: 0.15, Ventricular: 0.15,
            Fusion: 0.15, Paced: 0.15, NoiseLevel: 0, BaselineWander: 0);
        Record = SyntheticEcg.Generate(options, "arrhythmia", 300);
        Lead = Record.Physical(0);
        Beats = [.. Record.Annotations.Select(a => (Sample: (int)a.Sample, Class: Aami.FromCode(a.Code)!.Value))];
    }

    public WfdbRecord Record { get; }

    public float[] Lead { get; }

    public IReadOnlyList<(int Sample, AamiClass Class)> Beats { get; }

    public const double Fs = 360;

    /// <summary>Beats of a class, with their neighbours, away from the record's ends.</summary>
    public IEnumerable<(int Index, int Sample)> Of(AamiClass c) =>
        Enumerable.Range(2, Beats.Count - 4).Where(i => Beats[i].Class == c).Select(i => (i, Beats[i].Sample));

    public int Samples(double seconds) => (int)Math.Round(seconds * Fs);

    /// <summary>
    /// QRS duration from its energy: the time between 10 % and 90 % of the energy of (x - baseline)²
    /// within ±120 ms of the R peak, the baseline being the median of ±400 ms. It does not care for polarity.
    /// </summary>
    public double QrsDuration(int r)
    {
        var baseline = Median(Lead[(r - Samples(0.4))..(r + Samples(0.4))]);
        var energy = Lead[(r - Samples(0.12))..(r + Samples(0.12))].Select(v => (v - baseline) * (double)(v - baseline)).ToArray();
        var total = energy.Sum();
        double running = 0;
        int start = -1, end = -1;
        for (var i = 0; i < energy.Length; i++)
        {
            running += energy[i];
            if (start < 0 && running >= 0.1 * total) start = i;
            if (end < 0 && running >= 0.9 * total) end = i;
        }
        return (end - start) / Fs;
    }

    /// <summary>Height of a bump in [from, to] s relative to R above the straight line through its ends (mV).</summary>
    public double BumpHeight(int r, double from, double to)
    {
        var (a, b) = (r + Samples(from), r + Samples(to));
        var height = 0.0;
        for (var i = a; i <= b; i++)
        {
            var line = Lead[a] + (Lead[b] - Lead[a]) * (i - a) / (double)(b - a);
            height = Math.Max(height, Math.Abs(Lead[i] - line));
        }
        return height;
    }

    /// <summary>The steepest step between two samples in [from, to] s relative to R (mV per sample).</summary>
    public double SteepestStep(int r, double from, double to) =>
        Enumerable.Range(r + Samples(from), Samples(to) - Samples(from)).Max(i => Math.Abs(Lead[i + 1] - Lead[i]));

    /// <summary>The average beat of a class, ±300 ms around R, each beat relative to its median.</summary>
    public double[] AverageBeat(AamiClass c)
    {
        var beats = Of(c).Select(b => Lead[(b.Sample - Samples(0.3))..(b.Sample + Samples(0.3))]).ToList();
        var sum = new double[beats[0].Length];
        foreach (var beat in beats)
        {
            var median = Median(beat);
            for (var i = 0; i < sum.Length; i++) sum[i] += beat[i] - median;
        }
        return [.. sum.Select(v => v / beats.Count)];
    }

    private static double Median(float[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

public sealed class MorphologyTests(ArrhythmiaRecord ecg) : IClassFixture<ArrhythmiaRecord>
{
    [Fact]
    public void Every_class_has_enough_beats_to_measure()
    {
        Assert.All(Aami.Classes, c => Assert.True(ecg.Of(c).Count() >= 20, $"{c}: {ecg.Of(c).Count()} beats"));
    }

    [Fact]
    public void Ventricular_beats_have_a_wide_QRS_supraventricular_ones_a_normal_one()
    {
        var n = MeanDuration(AamiClass.N);
        Assert.InRange(n, 0.015, 0.05);
        Assert.True(MeanDuration(AamiClass.V) > 1.8 * n, $"V {MeanDuration(AamiClass.V):F3} s vs N {n:F3} s");
        Assert.InRange(MeanDuration(AamiClass.S), 0.8 * n, 1.2 * n);
        Assert.True(MeanDuration(AamiClass.Q) > 1.8 * n, $"Q {MeanDuration(AamiClass.Q):F3} s vs N {n:F3} s");
    }

    [Fact]
    public void Ventricular_beats_have_no_P_wave()
    {
        // The window from 220 to 120 ms before R holds the P wave of a normal beat and nothing of a ventricular one.
        var n = ecg.Of(AamiClass.N).Select(b => ecg.BumpHeight(b.Sample, -0.22, -0.12)).ToList();
        var v = ecg.Of(AamiClass.V).Select(b => ecg.BumpHeight(b.Sample, -0.22, -0.12)).ToList();
        Assert.True(n.Min() > 0.08, $"normal beats: P bumps from {n.Min():F3} mV");
        Assert.True(v.Average() < 0.2 * n.Average(), $"ventricular beats: bump {v.Average():F3} mV against {n.Average():F3} mV for normal ones");
        Assert.All(v, height => Assert.True(height < 0.05, $"a ventricular beat has a {height:F3} mV bump before it"));
    }

    [Fact]
    public void Ventricular_beats_are_premature_and_followed_by_a_full_compensatory_pause()
    {
        var ratios = Timing(AamiClass.V).ToList();
        Assert.True(ratios.Count >= 5, $"{ratios.Count} ventricular beats between normal ones");
        Assert.All(ratios, r => Assert.InRange(r.Coupling, 0.45, 0.8));
        Assert.All(ratios, r => Assert.InRange(r.PrePlusPost, 0.9, 1.1));
        Assert.InRange(ratios.Average(r => r.PrePlusPost), 0.96, 1.04);
    }

    [Fact]
    public void Supraventricular_beats_are_premature_with_a_short_coupling_and_no_full_pause()
    {
        var ratios = Timing(AamiClass.S).ToList();
        Assert.True(ratios.Count >= 5, $"{ratios.Count} supraventricular beats between normal ones");
        Assert.All(ratios, r => Assert.InRange(r.Coupling, 0.5, 0.85));
        Assert.InRange(ratios.Average(r => r.Coupling), 0.6, 0.75);
        Assert.All(ratios, r => Assert.True(r.PrePlusPost < 1, $"pre + post = {r.PrePlusPost:F2} x 2 RR"));
        Assert.True(ratios.Average(r => r.PrePlusPost) < 0.92);
    }

    [Fact]
    public void Fusion_and_paced_beats_come_on_time()
    {
        foreach (var c in new[] { AamiClass.F, AamiClass.Q })
            Assert.All(Timing(c), r => Assert.InRange(r.Coupling, 0.85, 1.15));
    }

    [Fact]
    public void Paced_beats_start_with_a_pacing_spike()
    {
        // 150 to 50 ms before R: the spike of a paced beat; the P wave (or nothing) elsewhere.
        Assert.All(ecg.Of(AamiClass.Q), b => Assert.True(ecg.SteepestStep(b.Sample, -0.15, -0.05) > 0.5, $"paced beat at {b.Sample}"));
        Assert.All(ecg.Of(AamiClass.N), b => Assert.True(ecg.SteepestStep(b.Sample, -0.15, -0.05) < 0.1, $"normal beat at {b.Sample}"));
        Assert.All(ecg.Of(AamiClass.V), b => Assert.True(ecg.SteepestStep(b.Sample, -0.15, -0.05) < 0.15, $"ventricular beat at {b.Sample}"));
    }

    [Fact]
    public void Fusion_beats_lie_between_normal_and_ventricular_ones()
    {
        var (n, v, f) = (MeanDuration(AamiClass.N), MeanDuration(AamiClass.V), MeanDuration(AamiClass.F));
        Assert.True(n < f && f < v, $"QRS durations N {n:F3}, F {f:F3}, V {v:F3} s");
        var (averageN, averageV, averageF) = (ecg.AverageBeat(AamiClass.N), ecg.AverageBeat(AamiClass.V), ecg.AverageBeat(AamiClass.F));
        Assert.True(Distance(averageF, averageN) < Distance(averageV, averageN));
        Assert.True(Distance(averageF, averageV) < Distance(averageN, averageV));
        // and a fusion beat keeps the sinus P wave a ventricular beat lacks.
        Assert.True(ecg.Of(AamiClass.F).Average(b => ecg.BumpHeight(b.Sample, -0.22, -0.11)) > 0.05);
    }

    private double MeanDuration(AamiClass c) => ecg.Of(c).Average(b => ecg.QrsDuration(b.Sample));

    /// <summary>
    /// For beats of class c that follow a sinus RR (a normal beat after a normal or paced one, both on
    /// time) and precede a normal beat: the coupling interval over that RR, and (coupling + following RR)
    /// over twice that RR.
    /// </summary>
    private IEnumerable<(double Coupling, double PrePlusPost)> Timing(AamiClass c)
    {
        var beats = ecg.Beats;
        foreach (var (i, sample) in ecg.Of(c))
        {
            if (beats[i - 1].Class != AamiClass.N || beats[i - 2].Class is not (AamiClass.N or AamiClass.Q) || beats[i + 1].Class != AamiClass.N) continue;
            double rr = beats[i - 1].Sample - beats[i - 2].Sample;
            double pre = sample - beats[i - 1].Sample;
            double post = beats[i + 1].Sample - sample;
            yield return (pre / rr, (pre + post) / (2 * rr));
        }
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b).Sum(p => (p.First - p.Second) * (p.First - p.Second)));
}
