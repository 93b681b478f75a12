using EcgOrleans.Ml.ClassMaps;

namespace EcgOrleans.Client.Faithfulness;

/// <summary>What <c>ecg faithfulness --json</c> prints: how the curves were made, then one entry per checkpoint.</summary>
internal sealed record FaithfulnessReport(
    string Command, string Date, string? Cpu, int Threads, string Data, string Split, int PerClass, int Seed, string Target,
    FaithfulnessDefinitions Definitions, IReadOnlyList<ModelFaithfulness> Models);

/// <summary>The definitions the figures depend on, stated in the report itself.</summary>
internal sealed record FaithfulnessDefinitions(
    string Curve, string Baseline, string Features, int Steps, string Area, string RandomOrder, string Sanity, IReadOnlyList<WaveWindow> WaveWindows, string WaveShare)
{
    public static FaithfulnessDefinitions Of(int steps, string target) => new(
        $"probability of the target class ({target}; softmax of the logits plus any decision bias) against the fraction of the "
        + "waveform's samples removed (deletion: most salient first) or inserted into an all-baseline waveform (insertion: most salient first), "
        + "salience = |attribution| of the waveform sample in the method's map of the same input, ties broken at random",
        "0 (window beats have their baseline removed and are standardised per beat, so 0 is their mean level)",
        "the beat features are held at the model's training means throughout (0 once standardised): only waveform samples change",
        steps,
        "trapezoid rule over the fraction, 0 to 1; deletion: lower is better, insertion: higher is better; random: one seeded permutation per beat",
        "one seeded uniform permutation of the waveform samples per beat",
        "Adebayo et al. 2018 cascading randomisation: layers re-initialised from the output down (PyTorch's default init, batch-norm scale/shift N(0,1)), "
        + "mean over beats of the Spearman rank correlation of |waveform attribution| between the trained and the randomised model's maps",
        Ml.ClassMaps.WaveWindows.All,
        "per beat: Σ|attribution| in the window / Σ|attribution| over the waveform; mean over the class's beats; evenShare: the window's share of the samples");
}

/// <summary>One checkpoint's results.</summary>
/// <param name="SampleCounts">Beats per AAMI class in the sample (fewer than --per-class where the split has fewer).</param>
internal sealed record ModelFaithfulness(
    string Checkpoint, string Architecture, string Representation, double SamplingFrequency, int SamplesBeforeR,
    IReadOnlyDictionary<string, int> SampleCounts, IReadOnlyList<MethodClassFaithfulness> Rows, SanityReport? Sanity, double Seconds);

/// <summary>One method on one class's beats; <see cref="Note"/> instead of figures when the sample holds none.</summary>
/// <param name="FullProbability">Mean target probability of the whole waveform (features at their means): the most a
/// deletion curve starts from and an insertion curve ends at, so areas of a class the features carry are small.</param>
/// <param name="EmptyProbability">Mean target probability of the all-baseline waveform.</param>
internal sealed record MethodClassFaithfulness(
    string Method, string Class, int Beats, double? FullProbability, double? EmptyProbability, CurvePair? Deletion, CurvePair? Insertion,
    IReadOnlyList<WaveShare>? Waves, string? Note);

/// <summary>Mean areas and curves in saliency and random order.</summary>
/// <param name="SaliencyWinRate">Fraction of beats whose saliency-order area is better than their random-order area
/// (lower for deletion, higher for insertion).</param>
internal sealed record CurvePair(double SaliencyArea, double RandomArea, double SaliencyWinRate, double[] SaliencyCurve, double[] RandomCurve);

/// <summary>The model-randomisation check on a smaller sample.</summary>
internal sealed record SanityReport(int Beats, IReadOnlyDictionary<string, int> SampleCounts, IReadOnlyList<SanityStep> Steps);

internal sealed record SanityStep(string Layer, IReadOnlyDictionary<string, double?> MeanSpearman, IReadOnlyDictionary<string, int> UndefinedBeats);
