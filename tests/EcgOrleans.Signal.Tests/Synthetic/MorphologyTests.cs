using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Synthetic;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Tests.Synthetic;

/// <summary>
/// One record with every class in numbers, without noise or wander so that small waves can be measured:
/// five minutes at 55 bpm, with ECGSYN's default heart-rate variability (1 bpm). Other clean records derive from it.
/// </summary>
public class ArrhythmiaRecord
{
    public ArrhythmiaRecord()
        : this(new SyntheticOptions(Seed: 424242, HeartRate: 55, HeartRateStd: 1, Normal: 0.4, Supraventricular: 0.15, Ventricular: 0.15,
            Fusion: 0.15, Paced: 0.15, NoiseLevel: 0, BaselineWander: 0), 300)
    {
    }

    protected ArrhythmiaRecord(SyntheticOptions options, double seconds)
    {
        Record = SyntheticEcg.Generate(options, "arrhythmia", seconds);
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

    /// <summary>How far the sample stands above (or below) the mean of its two neighbours, mV: large only at a spike.</summary>
    public double Sharpness(int sample) => Math.Abs(Lead[sample] - (Lead[sample - 1] + Lead[sample + 1]) / 2.0);

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
    public void Supraventricular_beats_conduct_a_normal_QRS_after_an_abnormal_P_wave()
    {
        // The QRS of the average S beat is the average N beat's; the 200 ms before it are not (P' unlike P, and
        // riding on the previous beat's T wave).
        var (n, s) = (ecg.AverageBeat(AamiClass.N), ecg.AverageBeat(AamiClass.S));
        var centre = n.Length / 2;
        var (qrs, before) = ((centre - ecg.Samples(0.04))..(centre + ecg.Samples(0.05)), (centre - ecg.Samples(0.25))..(centre - ecg.Samples(0.05)));
        Assert.True(Correlation(n[qrs], s[qrs]) > 0.98, $"QRS correlation {Correlation(n[qrs], s[qrs]):F3}");
        Assert.True(Correlation(n[before], s[before]) < 0.7, $"P-wave correlation {Correlation(n[before], s[before]):F3}");
    }

    [Fact]
    public void Fusion_and_paced_beats_come_on_time()
    {
        foreach (var c in new[] { AamiClass.F, AamiClass.Q })
            Assert.All(Timing(c), r => Assert.InRange(r.Coupling, 0.85, 1.15));
    }

    [Fact]
    public void Paced_beats_are_marked_on_their_pacing_spike()
    {
        // As MIT-BIH marks them: the annotated sample stands out of its neighbours as only a spike a few ms wide can.
        Assert.All(ecg.Of(AamiClass.Q), b => Assert.True(ecg.Sharpness(b.Sample) > 0.25, $"paced beat at {b.Sample}: {ecg.Sharpness(b.Sample):F3} mV"));
        Assert.All(ecg.Of(AamiClass.N), b => Assert.True(ecg.Sharpness(b.Sample) < 0.2, $"normal beat at {b.Sample}: {ecg.Sharpness(b.Sample):F3} mV"));
        Assert.All(ecg.Of(AamiClass.V), b => Assert.True(ecg.Sharpness(b.Sample) < 0.2, $"ventricular beat at {b.Sample}: {ecg.Sharpness(b.Sample):F3} mV"));
        // and a wide QRS follows it: its broad negative wave 60 to 130 ms after the spike.
        Assert.All(ecg.Of(AamiClass.Q), b => Assert.True(ecg.Lead[(b.Sample + ecg.Samples(0.06))..(b.Sample + ecg.Samples(0.13))].Min() < ecg.Lead[b.Sample - ecg.Samples(0.2)] - 0.3));
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

    private static double Correlation(double[] a, double[] b)
    {
        var (ma, mb) = (a.Average(), b.Average());
        var ab = a.Zip(b).Sum(p => (p.First - ma) * (p.Second - mb));
        return ab / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(x => (x - mb) * (x - mb)));
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b).Sum(p => (p.First - p.Second) * (p.First - p.Second)));
}

/// <summary>Ten minutes of sinus rhythm with frequent atrial premature beats, clean: enough runs to measure their timing.</summary>
public sealed class AtrialEctopyRecord() : ArrhythmiaRecord(
    new SyntheticOptions(Seed: 2718, HeartRate: 70, HeartRateStd: 1, Normal: 0.8, Supraventricular: 0.2, Ventricular: 0, Fusion: 0, Paced: 0,
        NoiseLevel: 0, BaselineWander: 0), 600);

public sealed class AtrialRhythmTests(AtrialEctopyRecord ecg) : IClassFixture<AtrialEctopyRecord>
{
    [Fact]
    public void Supraventricular_beats_are_premature_with_a_short_coupling_and_no_full_pause()
    {
        // The first beat of each run (a lone beat is a run of one) after a sinus RR: its coupling over that RR,
        // and the interval from the run's last beat to the next sinus beat over the same RR (the node was reset).
        var runs = SinusRuns(AamiClass.S).ToList();
        Assert.True(runs.Count >= 30, $"{runs.Count} runs of supraventricular beats after a sinus RR");
        Assert.All(runs, r => Assert.InRange(r.Coupling, 0.5, 0.85));
        Assert.InRange(runs.Average(r => r.Coupling), 0.6, 0.75);
        Assert.All(runs, r => Assert.InRange(r.Pause, 0.85, 1.25));
        // A lone premature beat: pre + post falls short of two sinus RRs (no full compensatory pause).
        var lone = runs.Where(r => r.Length == 1).ToList();
        Assert.NotEmpty(lone);
        Assert.All(lone, r => Assert.True(r.Coupling + r.Pause < 2, $"pre + post = {(r.Coupling + r.Pause) / 2:F2} x 2 RR"));
        Assert.True(lone.Average(r => r.Coupling + r.Pause) / 2 < 0.92);
    }

    [Fact]
    public void Supraventricular_beats_come_alone_or_in_short_runs_at_a_steady_cycle()
    {
        // As in MIT-BIH's training records, about half of the S beats are in runs (atrial couplets, short bursts).
        var beats = ecg.Beats;
        var s = Enumerable.Range(1, beats.Count - 2).Where(i => beats[i].Class == AamiClass.S).ToList();
        var inRuns = s.Count(i => beats[i - 1].Class == AamiClass.S || beats[i + 1].Class == AamiClass.S) / (double)s.Count;
        Assert.InRange(inRuns, 0.35, 0.7);
        var runs = SinusRuns(AamiClass.S).ToList();
        Assert.All(runs, r => Assert.InRange(r.Length, 1, 6));
        Assert.Contains(runs, r => r.Length >= 3);
        foreach (var (start, length) in runs.Select(r => (r.Start, r.Length)).Where(r => r.Length > 1))
        {
            var first = ecg.Beats[start].Sample - ecg.Beats[start - 1].Sample;
            for (var i = start + 1; i < start + length; i++)
                Assert.InRange((ecg.Beats[i].Sample - ecg.Beats[i - 1].Sample) / (double)first, 0.85, 1.15);
        }
    }

    /// <summary>
    /// Maximal runs of class c that follow a sinus RR (N after N) and are followed by a normal beat: the run's
    /// first beat, its length, its coupling over that RR, and the interval after its last beat over that RR.
    /// </summary>
    private IEnumerable<(int Start, int Length, double Coupling, double Pause)> SinusRuns(AamiClass c)
    {
        var beats = ecg.Beats;
        for (var i = 2; i < beats.Count - 1; i++)
        {
            if (beats[i].Class != c || beats[i - 1].Class == c) continue;
            var end = i;
            while (end + 1 < beats.Count && beats[end + 1].Class == c) end++;
            if (end + 1 >= beats.Count) yield break;
            if (beats[i - 1].Class != AamiClass.N || beats[i - 2].Class != AamiClass.N || beats[end + 1].Class != AamiClass.N) continue;
            double rr = beats[i - 1].Sample - beats[i - 2].Sample;
            yield return (i, end - i + 1, (beats[i].Sample - beats[i - 1].Sample) / rr, (beats[end + 1].Sample - beats[end].Sample) / rr);
        }
    }
}
