using System.Globalization;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Synthetic;

/// <summary>
/// Synthetic ECG records that look like MIT-BIH's: two leads ("MLII" and "V1") at 360 Hz, 200 adu/mV
/// around 1024, 11 bits, format 212, and beat annotations (N, A, V, F, /) on the R peaks of MLII.
/// The product's embedded default data: deterministic for a seed, no files needed.
/// </summary>
public static class SyntheticEcg
{
    public const string FirstLead = "MLII";
    public const string SecondLead = "V1";
    private const double MaxSeconds = 24 * 3600;

    /// <summary>Generates <paramref name="seconds"/> of ECG as an in-memory WFDB record.</summary>
    public static WfdbRecord Generate(SyntheticOptions options, string recordName, double seconds)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (recordName.Length == 0 || !recordName.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new ArgumentException($"'{recordName}' is not a WFDB record name (letters, digits and underscores)", nameof(recordName));
        if (!(seconds > 0) || seconds > MaxSeconds)
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, $"must be more than 0 and at most {MaxSeconds} s");

        var engine = new EcgsynEngine(options);
        var length = (int)Math.Round(seconds * options.SamplingFrequency);
        int[][] digital = [new int[length], new int[length]];
        var annotations = new List<Annotation>();
        engine.SkipWarmUp();
        Span<int> frame = stackalloc int[EcgsynEngine.Leads];
        for (var i = 0; i < length + engine.AnnotationLag; i++)
        {
            engine.Produce(frame);
            if (i < length)
            {
                digital[0][i] = frame[0];
                digital[1][i] = frame[1];
            }
            while (engine.TryTakeAnnotation(out var annotation))
            {
                if (annotation.Sample < length) annotations.Add(annotation);
            }
        }

        var header = new RecordHeader(recordName, options.SamplingFrequency, options.SamplingFrequency, 0, length, null, null,
            [LeadSpec(recordName, FirstLead), LeadSpec(recordName, SecondLead)], Comments(options, annotations));
        return new WfdbRecord(WfdbWriter.Complete(header, digital), digital, annotations);
    }

    /// <summary>
    /// A database of <paramref name="records"/> records named by <see cref="RecordName"/>, each a
    /// different "patient" (<see cref="RecordOptions"/>).
    /// </summary>
    public static IReadOnlyList<WfdbRecord> Database(int seed, int records, double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        return [.. Enumerable.Range(0, records).Select(i => Generate(RecordOptions(seed, i), RecordName(i), seconds))];
    }

    /// <summary>The name of record <paramref name="index"/> (from 0) of a database: s001, s002, ...</summary>
    public static string RecordName(int index) => "s" + (index + 1).ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>
    /// The options of record <paramref name="index"/> of the database of seed <paramref name="seed"/>.
    /// Records take turns through four kinds of patient, so that every AAMI class is well represented in
    /// any four consecutive records: mostly normal, frequent ventricular ectopy (with fusion beats),
    /// frequent atrial ectopy, and paced. Every kind keeps a little of every class, and the heart rate,
    /// noise and wander vary from record to record. The atrial-ectopy patient has a narrow QRS with a deep
    /// S wave on MLII, as the training records (DS1) richest in atrial premature beats have (209, 220):
    /// models trained on DS1 learnt the class from few patients and find it mostly in QRS complexes like theirs.
    /// </summary>
    public static SyntheticOptions RecordOptions(int seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var random = SeededRandom.For(seed, "database record " + index.ToString(CultureInfo.InvariantCulture));
        double Around(double value) => value * random.Uniform(0.8, 1.25);
        var recordSeed = (int)(random.NextUInt64() >> 33);
        var heartRate = random.Uniform(58, 92);
        var noise = random.Uniform(0.008, 0.03);
        var wander = random.Uniform(0.04, 0.2);
        var options = new SyntheticOptions(recordSeed, HeartRate: heartRate, HeartRateStd: random.Uniform(1, 3),
            NoiseLevel: noise, BaselineWander: wander);
        return (index % 4) switch
        {
            0 => options with { Normal = 0.9, Supraventricular = Around(0.03), Ventricular = Around(0.03), Fusion = Around(0.015), Paced = Around(0.015) },
            1 => options with { Normal = 0.7, Supraventricular = Around(0.02), Ventricular = Around(0.2), Fusion = Around(0.06), Paced = Around(0.01) },
            2 => options with { Normal = 0.75, Supraventricular = Around(0.18), Ventricular = Around(0.03), Fusion = Around(0.02), Paced = Around(0.01),
                QrsWidth = random.Uniform(0.7, 0.8), SWaveDepth = random.Uniform(0.3, 0.45) },
            _ => options with { HeartRate = random.Uniform(62, 75), Normal = 0.25, Supraventricular = Around(0.02), Ventricular = Around(0.05), Fusion = Around(0.03), Paced = 0.65 },
        };
    }

    /// <summary>Beats per AAMI class in a record's annotations (N, S, V, F, Q order).</summary>
    public static int[] ClassCounts(IEnumerable<Annotation> annotations)
    {
        var counts = new int[Aami.ClassCount];
        foreach (var annotation in annotations)
        {
            if (Aami.FromCode(annotation.Code) is { } c) counts[(int)c]++;
        }
        return counts;
    }

    /// <summary>The header line of one lead, as MIT-BIH's: format 212, 200 adu/mV, 11 bits, zero at 1024.</summary>
    internal static SignalSpec LeadSpec(string recordName, string description) =>
        new(recordName + ".dat", 212, 1, 0, 0, EcgsynEngine.Gain, EcgsynEngine.AdcZero, "mV", 11, EcgsynEngine.AdcZero, null, null, 0, description);

    private static List<string> Comments(SyntheticOptions o, IReadOnlyList<Annotation> annotations)
    {
        var counts = ClassCounts(annotations);
        var invariant = CultureInfo.InvariantCulture;
        return
        [
            string.Create(invariant, $"synthetic ECG (ECGSYN model, McSharry et al. 2003), seed {o.Seed}, heart rate {o.HeartRate:0.#} bpm"),
            string.Create(invariant, $"class weights N {o.Normal:0.###} S {o.Supraventricular:0.###} V {o.Ventricular:0.###} F {o.Fusion:0.###} Q {o.Paced:0.###}; noise {o.NoiseLevel:0.###} mV, wander {o.BaselineWander:0.###} mV"),
            "beats " + string.Join(" ", Aami.Classes.Select(c => $"{c} {counts[(int)c]}")),
        ];
    }
}
