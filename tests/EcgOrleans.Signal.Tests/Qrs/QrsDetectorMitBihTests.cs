using System.Collections.Concurrent;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;
using Xunit.Abstractions;

namespace EcgOrleans.Signal.Tests.Qrs;

/// <summary>Runs the detector once over the primary lead of all 48 MIT-BIH records and scores it as bxb does.</summary>
public sealed class MitBihDetectionFixture
{
    public MitBihDetectionFixture()
    {
        var directory = TestData.MitBihDirectory;
        var results = new ConcurrentDictionary<string, BeatComparison>();
        Parallel.ForEach(DatasetSplits.All, name =>
            results[name] = BeatDetectionEvaluation.DetectAndCompare(WfdbRecord.Read(directory, name)));
        Records = DatasetSplits.All.ToDictionary(name => name, name => results[name]);
        Gross = BeatDetectionCounts.Sum(Records.Values.Select(r => r.Counts));
        Alignment = AlignmentSummary.Of(Records.Values.SelectMany(r => r.MatchOffsets), 360);
    }

    public IReadOnlyDictionary<string, BeatComparison> Records { get; }

    public BeatDetectionCounts Gross { get; }

    public AlignmentSummary Alignment { get; }
}

[Trait("Category", "Data")]
public sealed class QrsDetectorMitBihTests(MitBihDetectionFixture fixture, ITestOutputHelper output) : IClassFixture<MitBihDetectionFixture>
{
    [Fact]
    public void GrossSensitivityAndPositivePredictivityOnAll48RecordsAreAtLeast99Point5Percent()
    {
        foreach (var (name, result) in fixture.Records.OrderByDescending(r => r.Value.Counts.Errors))
        {
            var c = result.Counts;
            output.WriteLine($"{name}: TP {c.TruePositives} FN {c.FalseNegatives} FP {c.FalsePositives} Se {c.Sensitivity:P2} +P {c.PositivePredictivity:P2}");
        }
        var gross = fixture.Gross;
        output.WriteLine($"gross: TP {gross.TruePositives} FN {gross.FalseNegatives} FP {gross.FalsePositives} Se {gross.Sensitivity:P3} +P {gross.PositivePredictivity:P3}");

        Assert.Equal(48, fixture.Records.Count);
        // Pan and Tompkins (1985) failed on 0.675 % of the beats (99.3 %); the bar is 99.5 % for each figure.
        Assert.True(gross.Sensitivity >= 0.995, $"gross Se {gross.Sensitivity:P3} is below 99.5 %");
        Assert.True(gross.PositivePredictivity >= 0.995, $"gross +P {gross.PositivePredictivity:P3} is below 99.5 %");
    }

    [Fact]
    public void NoRecordFallsApart()
    {
        // The noisiest records (105, 108, 203, 207) included: a regression in one record shows here even when
        // the gross figures absorb it.
        var poor = fixture.Records
            .Where(r => r.Value.Counts.Sensitivity < 0.975 || r.Value.Counts.PositivePredictivity < 0.975)
            .Select(r => $"{r.Key} (Se {r.Value.Counts.Sensitivity:P2}, +P {r.Value.Counts.PositivePredictivity:P2})")
            .ToList();
        Assert.True(poor.Count == 0, $"records below 97.5 %: {string.Join(", ", poor)}");
    }

    [Fact]
    public void DetectionsSitOnTheRPeakOfTheReferenceBeats()
    {
        var alignment = fixture.Alignment;
        output.WriteLine($"offset: median {alignment.MedianMs:F1} ms, |offset| median {alignment.MedianAbsoluteMs:F1} ms, 95th percentile {alignment.Percentile95AbsoluteMs:F1} ms");
        Assert.InRange(alignment.MedianMs, -3, 3);
        Assert.True(alignment.MedianAbsoluteMs <= 5, $"median |offset| {alignment.MedianAbsoluteMs:F1} ms");
        Assert.True(alignment.Percentile95AbsoluteMs <= 25, $"95th percentile |offset| {alignment.Percentile95AbsoluteMs:F1} ms");
    }
}
