using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Tests.Qrs;

/// <summary>The detector keeps working when the lead changes under it, and at other sampling frequencies.</summary>
[Trait("Category", "Data")]
public sealed class QrsDetectorRobustnessTests
{
    private const double Fs = MitBihLeads.Fs;

    /// <summary>Scores detections on record <paramref name="record"/> from <paramref name="fromSeconds"/> on.</summary>
    private static BeatDetectionCounts Score(string record, float[] lead, double fromSeconds) =>
        BeatDetectionEvaluation.Compare(MitBihLeads.Annotations(record), QrsDetector.Detect(lead, Fs), Fs,
            new BeatComparisonOptions(StartSeconds: fromSeconds)).Counts;

    private static float[] Scaled(float[] lead, double fromSeconds, float factor)
    {
        var copy = (float[])lead.Clone();
        for (var i = (int)(fromSeconds * Fs); i < copy.Length; i++) copy[i] *= factor;
        return copy;
    }

    [Theory]
    [InlineData(0.1f)] // a tenth of the amplitude: below what search-back alone reaches
    [InlineData(10f)]
    public void DetectionRecoversWithinTenSecondsOfALastingChangeOfAmplitude(float factor)
    {
        var counts = Score("100", Scaled(MitBihLeads.Lead("100"), 900, factor), 910);
        Assert.True(counts.Sensitivity >= 0.995 && counts.PositivePredictivity >= 0.995,
            $"after the amplitude changed by {factor}: Se {counts.Sensitivity:P2}, +P {counts.PositivePredictivity:P2}");
    }

    [Theory]
    [InlineData(25f, 1.0)] // a second of ±25 mV square wave: an electrode pop
    [InlineData(1e30f, 0.003)] // one absurd but finite sample
    public void AHugeArtifactDoesNotBlindTheDetector(float amplitude, double seconds)
    {
        var lead = (float[])MitBihLeads.Lead("100").Clone();
        for (var i = (int)(600 * Fs); i < (600 + seconds) * Fs; i++) lead[i] = i % 40 < 20 ? amplitude : -amplitude;
        var counts = Score("100", lead, 610);
        Assert.True(counts.Sensitivity >= 0.995 && counts.PositivePredictivity >= 0.995,
            $"after the artifact: Se {counts.Sensitivity:P2}, +P {counts.PositivePredictivity:P2}");
    }

    [Theory]
    [InlineData(250)]
    [InlineData(500)]
    public void OtherSamplingFrequenciesWork(double frequency)
    {
        var total = default(BeatDetectionCounts);
        foreach (var record in new[] { "100", "203", "208" })
        {
            var lead = Resample(MitBihLeads.Lead(record), Fs, frequency);
            var reference = MitBihLeads.Annotations(record)
                .Select(a => a with { Sample = (long)Math.Round(a.Sample * frequency / Fs) })
                .ToList();
            total += BeatDetectionEvaluation.Compare(reference, QrsDetector.Detect(lead, frequency), frequency).Counts;
        }
        Assert.True(total.Sensitivity >= 0.99 && total.PositivePredictivity >= 0.99,
            $"at {frequency} Hz: Se {total.Sensitivity:P2}, +P {total.PositivePredictivity:P2}");
    }

    /// <summary>Linear interpolation: enough for a QRS detector, whose band ends at 15 Hz.</summary>
    private static float[] Resample(float[] lead, double from, double to)
    {
        var result = new float[(int)(lead.Length * to / from)];
        for (var i = 0; i < result.Length; i++)
        {
            var position = i * from / to;
            var k = (int)position;
            var fraction = (float)(position - k);
            result[i] = k + 1 < lead.Length ? lead[k] * (1 - fraction) + lead[k + 1] * fraction : lead[^1];
        }
        return result;
    }
}
