using EcgOrleans.Signal.Qrs;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.Signal.Tests.Qrs;

[Trait("Category", "Data")]
public sealed class BeatDetectionEvaluationTests
{
    private const double Fs = 360; // 150 ms = 54 samples, 300 s = 108 000 samples
    private static readonly BeatComparisonOptions FromStart = new(StartSeconds: 0);

    private static Annotation At(long sample, AnnotationCode code = AnnotationCode.Normal) => new(sample, code, 0, 0, 0, null);

    private static BeatDetectionCounts Count(Annotation[] reference, long[] detections, BeatComparisonOptions? options = null) =>
        BeatDetectionEvaluation.Compare(reference, detections, Fs, options).Counts;

    [Theory]
    [InlineData(1054)] // 150 ms late
    [InlineData(946)] // 150 ms early
    public void ADetectionExactly150MsFromABeatMatchesIt(long detection)
    {
        var comparison = BeatDetectionEvaluation.Compare([At(1000)], [detection], Fs, FromStart);
        Assert.Equal(new BeatDetectionCounts(1, 0, 0, 0), comparison.Counts);
        Assert.Equal(new[] { detection - 1000 }, comparison.MatchOffsets);
    }

    [Theory]
    [InlineData(1055)]
    [InlineData(945)]
    public void ADetectionOneSamplePast150MsIsAFalsePositiveAndTheBeatIsMissed(long detection) =>
        Assert.Equal(new BeatDetectionCounts(0, 1, 1, 0), Count([At(1000)], [detection], FromStart));

    [Fact]
    public void EachBeatMatchesItsNearestDetectionOnly()
    {
        var comparison = BeatDetectionEvaluation.Compare([At(1000), At(1300)], [980, 1004, 1300, 1310], Fs, FromStart);
        Assert.Equal(new BeatDetectionCounts(2, 0, 2, 0), comparison.Counts);
        Assert.Equal(new[] { 4L, 0L }, comparison.MatchOffsets);
    }

    [Fact]
    public void OnlyBeatAnnotationsAreReferenceBeats()
    {
        Annotation[] reference =
        [
            At(1000), At(1200, AnnotationCode.Rhythm), At(1400, AnnotationCode.Noise), At(1600, AnnotationCode.Artifact),
            At(2000, AnnotationCode.Pvc), At(3000, AnnotationCode.Paced), At(4000, AnnotationCode.Unknown),
        ];
        Assert.Equal(new BeatDetectionCounts(4, 0, 0, 0), Count(reference, [1000, 2000, 3000, 4000], FromStart));
        Assert.Equal(new BeatDetectionCounts(4, 0, 1, 0), Count(reference, [1000, 1400, 2000, 3000, 4000], FromStart));
    }

    [Fact]
    public void ByDefaultTheFirstFiveMinutesAreALearningPeriodThatIsNotScored()
    {
        const long start = 108_000;
        Annotation[] reference = [At(3600), At(50_000), At(start + 1000), At(start + 2000)];
        long[] detections = [3600, 70_000, 90_000, start + 1000, start + 2000];
        Assert.Equal(new BeatDetectionCounts(2, 0, 0, 0), Count(reference, detections));
        // A beat missed or an extra detection inside the learning period costs nothing either.
        Assert.Equal(new BeatDetectionCounts(2, 0, 0, 0), Count(reference, [start + 1000, start + 2000]));
        // The start is configurable: from 0 every beat and detection counts.
        Assert.Equal(new BeatDetectionCounts(4, 0, 1, 0), Count(reference, [3600, 50_000, 90_000, start + 1000, start + 2000], FromStart));
    }

    [Fact]
    public void TheLastDetectionOfTheLearningPeriodMayMatchTheFirstBeatAfterIt()
    {
        // bxb pairs the first reference beat of the test period with the last test beat before it when that is the better match.
        const long start = 108_000;
        var comparison = BeatDetectionEvaluation.Compare([At(start + 10), At(start + 400)], [start - 20, start + 400], Fs);
        Assert.Equal(new BeatDetectionCounts(2, 0, 0, 0), comparison.Counts);
        Assert.Equal(new[] { -30L, 0L }, comparison.MatchOffsets);
    }

    [Fact]
    public void ADetectionJustAfterTheStartThatFitsTheFirstBeatWorseThanTheNextIsDropped()
    {
        // bxb drops, uncounted, a test beat within one window after the start when the next one matches better.
        const long start = 108_000;
        Assert.Equal(new BeatDetectionCounts(1, 0, 0, 0), Count([At(start + 50)], [start + 5, start + 52]));
    }

    [Fact]
    public void DetectionsInsideVentricularFlutterAreNotFalsePositives()
    {
        Annotation[] reference =
        [
            At(1000),
            At(2000, AnnotationCode.VfOnset), At(2100, AnnotationCode.FlutterWave), At(2400, AnnotationCode.FlutterWave),
            At(4000, AnnotationCode.VfOffset),
            At(5000),
        ];
        var counts = Count(reference, [1000, 2000, 2500, 3000, 4000, 4500, 5000], FromStart);
        // 2000, 2500, 3000 and 4000 lie in the episode (both ends included); 4500 does not.
        Assert.Equal(new BeatDetectionCounts(2, 0, 1, 4), counts);
    }

    [Fact]
    public void BeatsAnnotatedInsideVentricularFlutterAreNotScored()
    {
        Annotation[] reference = [At(1000), At(2000, AnnotationCode.VfOnset), At(2500), At(3000, AnnotationCode.VfOffset), At(4000)];
        Assert.Equal(new BeatDetectionCounts(2, 0, 0, 0), Count(reference, [1000, 4000], FromStart));
    }

    [Fact]
    public void AnEpisodeWithoutItsEndLastsToTheEndOfTheRecord()
    {
        Annotation[] reference = [At(1000), At(2000, AnnotationCode.VfOnset), At(5000)];
        Assert.Equal(new BeatDetectionCounts(1, 0, 0, 2), Count(reference, [1000, 3000, 9000], FromStart));
    }

    [Fact]
    public void TheEndTimeBoundsTheComparison()
    {
        var options = new BeatComparisonOptions(StartSeconds: 0, EndSeconds: 10); // 3600 samples
        Assert.Equal(new BeatDetectionCounts(1, 1, 0, 0), Count([At(1000), At(3000), At(5000)], [1000, 6000], options));
    }

    [Fact]
    public void GrossFiguresSumTheCountsBeforeTakingRatios()
    {
        var gross = BeatDetectionCounts.Sum([new(90, 10, 0, 0), new(900, 0, 100, 3)]);
        Assert.Equal(new BeatDetectionCounts(990, 10, 100, 3), gross);
        Assert.Equal(0.99, gross.Sensitivity, 12);
        Assert.Equal(990.0 / 1090, gross.PositivePredictivity, 12);
    }

    [Fact]
    public void RatiosAreUndefinedWithoutBeatsOrDetections()
    {
        var empty = Count([], [], FromStart);
        Assert.Equal(default, empty);
        Assert.True(double.IsNaN(empty.Sensitivity));
        Assert.True(double.IsNaN(empty.PositivePredictivity));
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var unsorted = Assert.Throws<ArgumentException>(() => Count([At(1000)], [2000, 1000], FromStart));
        Assert.Contains("sorted", unsorted.Message);
        var reversed = Assert.Throws<ArgumentException>(() => Count([At(2000), At(1000)], [1000], FromStart));
        Assert.Contains("time order", reversed.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BeatDetectionEvaluation.Compare([], [], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BeatDetectionEvaluation.Compare([], [], Fs, new BeatComparisonOptions(StartSeconds: -1)));
    }

    [Fact]
    public void AlignmentSummaryUsesNearestRankPercentilesInMilliseconds()
    {
        var summary = AlignmentSummary.Of([-2, 1, 3, 10], 1000);
        Assert.Equal(new AlignmentSummary(4, 1, 2, 10), summary);
        Assert.True(double.IsNaN(AlignmentSummary.Of([], 1000).MedianMs));
    }

    [Fact]
    public void TheReferenceAgainstItselfScoresEveryBeatOutsideFlutterOnMitBih()
    {
        // Record 207 holds the database's ventricular flutter episodes; 203 has many beat types.
        foreach (var name in new[] { "203", "207" })
        {
            var annotations = AnnotationReader.Read(TestData.MitBihDirectory, name);
            var beats = BeatDetectionEvaluation.ReferenceBeats(annotations).Beats;
            var comparison = BeatDetectionEvaluation.Compare(annotations, beats, Fs);
            var scored = beats.Count(b => b >= 108_000);
            Assert.Equal(new BeatDetectionCounts(scored, 0, 0, 0), comparison.Counts);
            Assert.All(comparison.MatchOffsets, offset => Assert.Equal(0, offset));
        }
    }
}
