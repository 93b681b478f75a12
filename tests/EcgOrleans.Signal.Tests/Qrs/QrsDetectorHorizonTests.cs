using System.Collections.Concurrent;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Qrs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit.Abstractions;

namespace EcgOrleans.Signal.Tests.Qrs;

/// <summary><see cref="QrsDetector.DetectionsCompleteBefore"/>: no detection ever comes below a horizon already given.</summary>
[Trait("Category", "Data")]
public sealed class QrsDetectorHorizonTests(ITestOutputHelper output)
{
    private const double Fs = MitBihLeads.Fs;

    /// <summary>What feeding a lead chunk by chunk showed about the horizon.</summary>
    private sealed record HorizonRun(List<string> Violations, long LargestLag, List<long> Detections);

    /// <summary>
    /// Feeds <paramref name="lead"/> in chunks of the sizes <paramref name="nextSize"/> gives and checks, after every
    /// chunk, that the horizon never moved back, lies within the samples fed and trails them by at most
    /// <see cref="QrsDetector.MaxHorizonLag"/>, and that every detection returned later lies at or after it.
    /// </summary>
    private static HorizonRun Feed(QrsDetector detector, float[] lead, Func<int> nextSize)
    {
        var violations = new List<string>();
        long horizon = 0, largestLag = 0;
        var detections = new List<long>();
        void Check(IReadOnlyList<long> peaks, long fed)
        {
            foreach (var r in peaks.Where(r => r < horizon)) violations.Add($"detection {r} came after the horizon reached {horizon}");
            detections.AddRange(peaks);
            var next = detector.DetectionsCompleteBefore;
            if (next < horizon) violations.Add($"the horizon moved back from {horizon} to {next} at sample {fed}");
            if (next > fed) violations.Add($"the horizon {next} lies beyond the {fed} samples fed");
            largestLag = Math.Max(largestLag, fed - next);
            horizon = next;
        }

        var at = 0;
        while (at < lead.Length)
        {
            var size = Math.Min(nextSize(), lead.Length - at);
            var peaks = detector.Process(lead.AsSpan(at, size));
            at += size;
            Check(peaks, at);
        }
        if (largestLag > detector.MaxHorizonLag) violations.Add($"the horizon trailed by {largestLag} samples, more than {detector.MaxHorizonLag}");
        Check(detector.Complete(), lead.Length);
        if (horizon != lead.Length) violations.Add($"after Complete the horizon is {horizon}, not the record's {lead.Length} samples");
        return new HorizonRun(violations, largestLag, detections);
    }

    /// <summary>Chunk sizes drawn from single samples to a minute, as a live monitor or a file upload sends them.</summary>
    private static Func<int> RandomSizes(int seed)
    {
        var random = new Random(seed);
        return () => random.Next(4) switch
        {
            0 => random.Next(1, 10),
            1 => random.Next(1, 400),
            2 => random.Next(1, 4000),
            _ => random.Next(1, 25_000),
        };
    }

    [Fact]
    public void No_detection_falls_below_an_earlier_horizon_on_any_of_the_48_MIT_BIH_records()
    {
        var runs = new ConcurrentDictionary<string, HorizonRun>();
        Parallel.ForEach(DatasetSplits.All, name =>
            runs[name] = Feed(new QrsDetector(Fs), MitBihLeads.Lead(name), RandomSizes(int.Parse(name))));

        foreach (var (name, run) in runs.OrderByDescending(r => r.Value.LargestLag).Take(5))
            output.WriteLine($"{name}: {run.Detections.Count} detections, the horizon trailed by at most {run.LargestLag / Fs:F2} s");
        Assert.Equal(48, runs.Count);
        Assert.All(runs, r => Assert.True(r.Value.Violations.Count == 0, $"{r.Key}: {string.Join("; ", r.Value.Violations.Take(5))}"));
        Assert.All(runs, r => Assert.InRange(r.Value.Detections.Count, 1400, 3500));
    }

    [Property(Arbitrary = [typeof(ChunkPlans)], MaxTest = 30)]
    public Property The_horizon_holds_for_any_chunking(ChunkPlan plan)
    {
        var lead = MitBihLeads.Segment("203", 300, 420);
        var i = 0;
        var run = Feed(new QrsDetector(Fs), lead, () => plan.Sizes[i++ % plan.Sizes.Length]);
        return (run.Violations.Count == 0).Label(string.Join("; ", run.Violations.Take(3)));
    }

    [Fact]
    public void The_horizon_trails_the_stream_by_little_once_the_detector_has_learned()
    {
        var detector = new QrsDetector(Fs);
        var lead = MitBihLeads.Segment("100", 0, 60);
        detector.Process(lead);
        // The unseen candidates bound it: 0.2 s of look-ahead and at most 0.36 s from a peak back to its R.
        Assert.InRange(lead.Length - detector.DetectionsCompleteBefore, 0.5 * Fs, 0.6 * Fs);
        Assert.InRange(detector.MaxHorizonLag, 10.5 * Fs, 10.6 * Fs);
    }

    /// <summary>A minute of record 100, then <paramref name="gapSeconds"/> of missing samples (a lead-off), then the minute again.</summary>
    private static float[] LeadOff(int gapSeconds, out int minute)
    {
        var signal = MitBihLeads.Segment("100", 0, 60);
        minute = signal.Length;
        var lead = new float[2 * minute + (int)(gapSeconds * Fs)];
        Array.Fill(lead, float.NaN);
        signal.CopyTo(lead, 0);
        signal.CopyTo(lead, lead.Length - minute);
        return lead;
    }

    [Fact]
    public void Noise_peaks_held_for_a_search_back_hold_the_horizon_back_no_longer_than_its_bound()
    {
        // Before the lead-off, two seconds at a twentieth of the amplitude: noise peaks too small for a search-back to
        // take, which would otherwise wait for one all through the lead-off.
        var lead = LeadOff(300, out var minute);
        for (var i = 0; i < 2 * Fs; i++) lead[minute + i] = lead[i] / 20;
        var second = (int)Fs;

        var bounded = Feed(new QrsDetector(Fs), lead, () => second);
        var unbounded = Feed(new QrsDetector(Fs, QrsDetectorSettings.Default with { SearchBackReach = 1e6 }), lead, () => second);

        Assert.Empty(bounded.Violations);
        Assert.True(unbounded.LargestLag > 60 * Fs, $"without the reach the horizon trailed by only {unbounded.LargestLag / Fs:F1} s");
        Assert.Equal(unbounded.Detections, bounded.Detections);
    }

    [Fact]
    public void A_long_lead_off_yields_no_beats()
    {
        var lead = LeadOff(300, out var minute);

        var detections = QrsDetector.Detect(lead, Fs);

        // The filters' residue on the flat lead is silence (without SilentEnergy the decaying thresholds found 240
        // "beats" in it); the minute after the lead-off is detected as the one before.
        Assert.DoesNotContain(detections, r => r > 60.2 * Fs && r < 360 * Fs);
        var before = detections.Where(r => r > 2 * Fs && r < minute).Select(r => r + lead.Length - minute);
        Assert.Equal(before, detections.Where(r => r > lead.Length - minute + 2 * Fs));
    }
}
