using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Qrs;

/// <summary>How a beat-by-beat comparison is run. The defaults are those of the standard (bxb without options).</summary>
/// <param name="MatchWindowSeconds">Largest |reference − detection| for a match: 150 ms in EC57 and in bxb (<c>-w</c>).</param>
/// <param name="StartSeconds">
/// Start of the test period: beats before it are the learning period and are not scored. bxb's default
/// (<c>-f</c>) is 5 minutes; "any beat annotations that appear in the first five minutes of a record (the
/// 'learning period') are ignored" (Moody, Evaluating ECG Analyzers, WFDB Applications Guide).
/// </param>
/// <param name="EndSeconds">End of the test period (bxb <c>-t</c>); null for the end of the annotations.</param>
public sealed record BeatComparisonOptions(double MatchWindowSeconds = 0.15, double StartSeconds = 300, double? EndSeconds = null)
{
    public static BeatComparisonOptions Standard { get; } = new();
}

/// <summary>QRS detection tallies of one record or of several (summed, as sumstats gives gross figures).</summary>
/// <param name="TruePositives">Reference beats matched by a detection.</param>
/// <param name="FalseNegatives">Reference beats with no matching detection.</param>
/// <param name="FalsePositives">Detections matching no reference beat, outside ventricular flutter/fibrillation.</param>
/// <param name="IgnoredInFlutter">Unmatched detections inside reference VF/flutter episodes: not counted as errors.</param>
public readonly record struct BeatDetectionCounts(long TruePositives, long FalseNegatives, long FalsePositives, long IgnoredInFlutter)
{
    /// <summary>Sensitivity Se = TP / (TP + FN); NaN when there are no reference beats.</summary>
    public double Sensitivity => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Positive predictivity +P = TP / (TP + FP); NaN when there are no detections.</summary>
    public double PositivePredictivity => Ratio(TruePositives, TruePositives + FalsePositives);

    public long ReferenceBeats => TruePositives + FalseNegatives;

    /// <summary>Errors of both kinds: the figure worst-first record lists sort by.</summary>
    public long Errors => FalseNegatives + FalsePositives;

    public static BeatDetectionCounts operator +(BeatDetectionCounts a, BeatDetectionCounts b) =>
        new(a.TruePositives + b.TruePositives, a.FalseNegatives + b.FalseNegatives,
            a.FalsePositives + b.FalsePositives, a.IgnoredInFlutter + b.IgnoredInFlutter);

    /// <summary>Gross statistics: counts summed over records before the ratios are taken.</summary>
    public static BeatDetectionCounts Sum(IEnumerable<BeatDetectionCounts> records) =>
        records.Aggregate(default(BeatDetectionCounts), (total, next) => total + next);

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;
}

/// <summary>The outcome of comparing one record's detections with its reference annotations.</summary>
/// <param name="Counts">TP, FN, FP.</param>
/// <param name="MatchOffsets">Detection minus reference, in samples, of every matched pair, in time order.</param>
public sealed record BeatComparison(BeatDetectionCounts Counts, IReadOnlyList<long> MatchOffsets);

/// <summary>
/// Beat-by-beat comparison of detected QRS complexes with reference beat annotations, following bxb, the
/// reference implementation of ANSI/AAMI EC57:1998 section 4.2 (WFDB Software Package, app/bxb.c and bxb(1)).
/// Only QRS detection is scored (TP/FN/FP); bxb's beat-class confusion matrix is out of scope. The rules, as bxb
/// has them:
/// <list type="bullet">
/// <item>reference beats are the annotations for which isqrs() holds (getref());</item>
/// <item>the match window is 0.15 s (<c>match_dt = strtim(".15")</c>, option <c>-w</c>);</item>
/// <item>the test period starts 5 minutes in (option <c>-f</c>) and runs to the end (option <c>-t</c>);</item>
/// <item>the earlier of the current reference beat and detection pairs with the other when they lie within the
/// window and it is a better match than the other's successor (the four cases of bxb's main loop); otherwise
/// it is a miss (FN) or an extra detection (FP);</item>
/// <item>the reference annotations between VFON '[' and VFOFF ']' are skipped, and an extra detection inside
/// such an episode is "not to be counted" (rpann() returns '*');</item>
/// <item>QRS Se = TP / (TP + FN) and +P = TP / (TP + FP) (print_results()); gross figures sum the counts over
/// records (sumstats).</item>
/// </list>
/// Two simplifications that leave the QRS figures unchanged: shutdown periods (NOISE annotations with subtype
/// bits 4 and 5 set) only move a miss or an extra detection from bxb's O column to its X column, both errors;
/// and bxb remembers only the last two VF episodes when it classifies an extra detection, while all are used
/// here (no two episodes of MIT-BIH are close enough for that to differ).
/// </summary>
public static class BeatDetectionEvaluation
{
    private const long Never = long.MaxValue / 4; // bxb's huge_time: "no more annotations"; small enough to subtract safely

    /// <summary>Compares sorted <paramref name="detections"/> (sample numbers) with a record's reference annotations.</summary>
    public static BeatComparison Compare(
        IReadOnlyList<Annotation> reference, IReadOnlyList<long> detections, double samplingFrequency, BeatComparisonOptions? options = null)
    {
        options ??= BeatComparisonOptions.Standard;
        if (!(samplingFrequency > 0) || double.IsInfinity(samplingFrequency))
            throw new ArgumentOutOfRangeException(nameof(samplingFrequency), samplingFrequency, "must be a positive, finite frequency");
        if (!(options.MatchWindowSeconds >= 0) || !(options.StartSeconds >= 0) || options.EndSeconds is < 0 or double.NaN)
            throw new ArgumentOutOfRangeException(nameof(options), options, "match window, start and end must be non-negative");
        for (var i = 1; i < detections.Count; i++)
        {
            if (detections[i] < detections[i - 1])
                throw new ArgumentException($"detections must be sorted: {detections[i]} follows {detections[i - 1]} at index {i}", nameof(detections));
        }

        // bxb converts times with strtim(), which rounds to the nearest sample.
        var window = (long)Math.Round(options.MatchWindowSeconds * samplingFrequency);
        var start = (long)Math.Round(options.StartSeconds * samplingFrequency);
        var end = options.EndSeconds is { } e ? (long)Math.Round(e * samplingFrequency) : Never;
        var (beats, flutter) = ReferenceBeats(reference);
        return new Matcher(beats, detections, flutter, window, start, end).Run();
    }

    /// <summary>
    /// Runs <see cref="QrsDetector"/> over the record's primary lead (<see cref="WfdbRecord.PrimaryLead"/>, MLII when
    /// there is one) and compares its detections with the record's reference annotations.
    /// </summary>
    public static BeatComparison DetectAndCompare(WfdbRecord record, BeatComparisonOptions? options = null)
    {
        var frequency = record.Header.SamplingFrequency;
        var detections = QrsDetector.Detect(record.Physical(record.PrimaryLead), frequency);
        return Compare(record.Annotations, detections, frequency, options);
    }

    /// <summary>
    /// Reference beat times and VF/flutter episodes. bxb's getref() keeps the annotations for which isqrs() holds
    /// and reads past everything between a VFON '[' and the next VFOFF ']', so beats inside an episode are not
    /// scored; an episode with no VFOFF lasts to the end of the record.
    /// </summary>
    internal static (List<long> Beats, List<(long On, long Off)> Flutter) ReferenceBeats(IReadOnlyList<Annotation> reference)
    {
        var beats = new List<long>();
        var flutter = new List<(long, long)>();
        long? onset = null;
        long previous = long.MinValue;
        foreach (var annotation in reference)
        {
            if (annotation.Sample < previous)
                throw new ArgumentException($"reference annotations must be in time order: {annotation} follows sample {previous}", nameof(reference));
            previous = annotation.Sample;
            if (onset is { } on)
            {
                if (annotation.Code != AnnotationCode.VfOffset) continue;
                flutter.Add((on, annotation.Sample));
                onset = null;
            }
            else if (annotation.Code == AnnotationCode.VfOnset) onset = annotation.Sample;
            else if (AnnotationCodes.IsBeat(annotation.Code)) beats.Add(annotation.Sample);
        }
        if (onset is { } open) flutter.Add((open, Never));
        return (beats, flutter);
    }

    /// <summary>The pairing loop of bxb's main(), over two sorted time lists.</summary>
    private sealed class Matcher(List<long> reference, IReadOnlyList<long> test, List<(long On, long Off)> flutter, long window, long start, long end)
    {
        private int _r, _t; // next unpaired reference beat and test detection
        private long _tp, _fn, _fp, _ignored;
        private readonly List<long> _offsets = [];

        private long Ref(int i) => i < reference.Count ? reference[i] : Never;

        private long Test(int i) => i >= 0 && i < test.Count ? test[i] : Never;

        public BeatComparison Run()
        {
            while (Ref(_r) < start) _r++;
            while (Test(_t) < start) _t++;
            PairAtStart();
            // bxb's loop condition with a known end time: go on while either current annotation is inside the test
            // period (a pair straddling the end is still counted, as in bxb).
            while (Math.Min(Ref(_r), Test(_t)) <= end && (_r < reference.Count || _t < test.Count))
            {
                long T = Ref(_r), t = Test(_t);
                if (t < T)
                {
                    // (1) t is within the window of T and a better match for it than the next detection; else (2) t is extra.
                    if (T - t <= window && T - t < Math.Abs(T - Test(_t + 1))) Match(T, t);
                    else Extra(t);
                }
                else
                {
                    // (3) T is within the window of t and a better match for it than the next reference beat; else (4) T is missed.
                    if (t - T <= window && t - T < Math.Abs(t - Ref(_r + 1))) Match(T, t);
                    else Missed();
                }
            }
            return new BeatComparison(new BeatDetectionCounts(_tp, _fn, _fp, _ignored), _offsets);
        }

        /// <summary>
        /// bxb's special case at the start of the test period: the last detection of the learning period may
        /// match the first reference beat; a detection within one window after the start that is a worse match
        /// for the first reference beat than the detection after it is dropped without being counted.
        /// </summary>
        private void PairAtStart()
        {
            long T = Ref(_r), before = Test(_t - 1), after = Test(_t);
            if (_t > 0 && T != Never && T - before <= window && T - before < Math.Abs(T - after))
            {
                _tp++;
                _offsets.Add(before - T);
                _r++;
                return;
            }
            if (after != Never && after - start <= window && Math.Abs(T - Test(_t + 1)) < Math.Abs(T - after)) _t++;
        }

        private void Match(long T, long t)
        {
            _tp++;
            _offsets.Add(t - T);
            _r++;
            _t++;
        }

        private void Missed()
        {
            _fn++;
            _r++;
        }

        /// <summary>bxb's rpann(): a test beat during reference-marked VF is "not to be counted".</summary>
        private void Extra(long t)
        {
            if (InFlutter(t)) _ignored++;
            else _fp++;
            _t++;
        }

        private bool InFlutter(long t)
        {
            foreach (var (on, off) in flutter)
            {
                if (on <= t && t <= off) return true;
            }
            return false;
        }
    }
}

/// <summary>How far detections sit from the reference beats they matched.</summary>
/// <param name="Count">Matched pairs.</param>
/// <param name="MedianMs">Median of detection − reference (a systematic lead or lag).</param>
/// <param name="MedianAbsoluteMs">Median of |detection − reference|.</param>
/// <param name="Percentile95AbsoluteMs">95th percentile of |detection − reference|.</param>
public sealed record AlignmentSummary(int Count, double MedianMs, double MedianAbsoluteMs, double Percentile95AbsoluteMs)
{
    /// <summary>Summarises offsets given in samples; all figures are NaN when there are none.</summary>
    public static AlignmentSummary Of(IEnumerable<long> offsets, double samplingFrequency)
    {
        var signed = offsets.Select(o => o * 1000.0 / samplingFrequency).Order().ToArray();
        var absolute = signed.Select(Math.Abs).Order().ToArray();
        return new AlignmentSummary(signed.Length, Percentile(signed, 0.5), Percentile(absolute, 0.5), Percentile(absolute, 0.95));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
