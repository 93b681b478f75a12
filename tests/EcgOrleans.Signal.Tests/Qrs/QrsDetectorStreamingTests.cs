using EcgOrleans.Signal.Qrs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgOrleans.Signal.Tests.Qrs;

/// <summary>How a lead is cut into chunks: sizes used in turn until the lead is consumed.</summary>
public sealed record ChunkPlan(int[] Sizes)
{
    public override string ToString() => $"ChunkPlan [{string.Join(", ", Sizes)}]";
}

public static class ChunkPlans
{
    /// <summary>Single samples, small chunks and chunks of up to a minute, mixed.</summary>
    public static Arbitrary<ChunkPlan> Plans() =>
        Arb.From(Gen.OneOf(Gen.Choose(1, 8), Gen.Choose(1, 700), Gen.Choose(1, 25_000))
            .ArrayOf()
            .Where(sizes => sizes.Length > 0)
            .Select(sizes => new ChunkPlan(sizes)));
}

[Trait("Category", "Data")]
public sealed class QrsDetectorStreamingTests
{
    private const double Fs = MitBihLeads.Fs;

    // Two minutes of record 203 (multiform ventricular beats, noise): search-back and T-wave rules are exercised.
    private static readonly Lazy<float[]> Segment203 = new(() => MitBihLeads.Segment("203", 300, 420));
    private static readonly Lazy<IReadOnlyList<long>> Whole203 = new(() => QrsDetector.Detect(Segment203.Value, Fs));

    private static List<long> Feed(QrsDetector detector, float[] lead, ChunkPlan plan)
    {
        var detections = new List<long>();
        var at = 0;
        for (var i = 0; at < lead.Length; i++)
        {
            var size = Math.Min(plan.Sizes[i % plan.Sizes.Length], lead.Length - at);
            detections.AddRange(detector.Process(lead.AsSpan(at, size)));
            at += size;
        }
        detections.AddRange(detector.Complete());
        return detections;
    }

    [Property(Arbitrary = [typeof(ChunkPlans)], MaxTest = 40)]
    public bool ChunkingNeverChangesTheDetections(ChunkPlan plan) =>
        Feed(new QrsDetector(Fs), Segment203.Value, plan).SequenceEqual(Whole203.Value);

    [Fact]
    public void TheSegmentUsedForChunkingHasBeatsToDetect() => Assert.InRange(Whole203.Value.Count, 150, 400);

    [Fact]
    public void FeedingAWholeRecordOneSampleAtATimeGivesTheSameDetections()
    {
        var lead = MitBihLeads.Lead("208");
        var detector = new QrsDetector(Fs);
        var detections = new List<long>();
        long previous = -1;
        for (var i = 0; i < lead.Length; i++)
        {
            foreach (var r in detector.Process(lead.AsSpan(i, 1)))
            {
                Assert.True(r > previous, $"detection {r} does not follow {previous}");
                Assert.True(r <= i, $"detection {r} lies in the future of sample {i}");
                Assert.True(i - r < Fs * 6, $"detection {r} was held back until sample {i}");
                previous = r;
                detections.Add(r);
            }
        }
        detections.AddRange(detector.Complete());
        Assert.Equal(QrsDetector.Detect(lead, Fs), detections);
        Assert.Equal(lead.Length, detector.SampleCount);
    }

    [Fact]
    public void AGapOfMissingSamplesChangesOnlyTheDetectionsAroundIt()
    {
        var lead = MitBihLeads.Segment("100", 0, 120);
        var gapped = (float[])lead.Clone();
        Array.Fill(gapped, float.NaN, (int)(60 * Fs), (int)(2 * Fs));

        var plain = QrsDetector.Detect(lead, Fs);
        var withGap = QrsDetector.Detect(gapped, Fs);

        static IEnumerable<long> Outside(IEnumerable<long> peaks) => peaks.Where(r => r < 59.5 * Fs || r > 65 * Fs);
        Assert.Equal(Outside(plain), Outside(withGap));
        Assert.DoesNotContain(withGap, r => r > 60.1 * Fs && r < 62 * Fs);
        Assert.InRange(plain.Count, 140, 160);
    }

    [Fact]
    public void InfinitiesAreMissingSamplesLikeNaN()
    {
        var withNaN = MitBihLeads.Segment("100", 0, 60);
        var withInfinity = (float[])withNaN.Clone();
        for (var i = (int)(20 * Fs); i < 22 * Fs; i++)
        {
            withNaN[i] = float.NaN;
            withInfinity[i] = i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
        }
        Assert.Equal(QrsDetector.Detect(withNaN, Fs), QrsDetector.Detect(withInfinity, Fs));
    }

    [Fact]
    public void MissingSamplesBeforeTheSignalOnlyShiftTheDetections()
    {
        var lead = MitBihLeads.Segment("100", 0, 60);
        var late = new float[lead.Length + (int)(10 * Fs)];
        Array.Fill(late, float.NaN, 0, (int)(10 * Fs));
        lead.CopyTo(late, (int)(10 * Fs));

        var expected = QrsDetector.Detect(lead, Fs).Where(r => r > Fs).Select(r => r + (long)(10 * Fs));
        var actual = QrsDetector.Detect(late, Fs).Where(r => r > 11 * Fs);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ALeadOfMissingSamplesYieldsNoDetections()
    {
        var detector = new QrsDetector(Fs);
        var missing = new float[(int)(60 * Fs)];
        Array.Fill(missing, float.NaN);
        Assert.Empty(detector.Process(missing));
        Assert.Empty(detector.Complete());
    }

    [Fact]
    public void TheRecordEndsWithComplete()
    {
        var detector = new QrsDetector(Fs);
        var lead = MitBihLeads.Segment("100", 0, 20);
        var detections = detector.Process(lead).Concat(detector.Complete()).ToList();
        // The last beat (about 0.3 s before the end) needs the flush to become final.
        Assert.Equal(MitBihLeads.Annotations("100").Count(a => a.IsBeat && a.Sample < lead.Length - 0.1 * Fs), detections.Count);
        Assert.All(detections, r => Assert.InRange(r, 0, lead.Length - 1));
        Assert.Empty(detector.Complete());
        Assert.Throws<InvalidOperationException>(() => detector.Process(lead));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-360)]
    [InlineData(10)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void AnUnusableSamplingFrequencyIsRejected(double frequency)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new QrsDetector(frequency));
        Assert.Equal("samplingFrequency", error.ParamName);
    }
}
