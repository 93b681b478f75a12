using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Beats;

/// <summary>
/// One heartbeat cut from a record, ready for a model: its waveform in the run's representation
/// and its rhythm features (<see cref="RhythmFeatures"/>).
/// </summary>
/// <param name="Record">Record the beat comes from.</param>
/// <param name="Sample">Sample number of the R peak in the record.</param>
/// <param name="Reference">Reference AAMI class from the annotations; null when the beat was detected, not annotated.</param>
/// <param name="Code">Reference annotation code, when there is one.</param>
/// <param name="Waveform">The beat in its representation (<see cref="BeatRepresentation.Length"/> values).</param>
/// <param name="Rhythm">The <see cref="RhythmFeatures.Count"/> rhythm features.</param>
public sealed record Beat(string Record, long Sample, AamiClass? Reference, AnnotationCode? Code, float[] Waveform, float[] Rhythm);

/// <summary>
/// The numbers a beat carries beside its waveform, each normalised by the record so far so that they compare
/// across patients. First the RR-interval features in the spirit of de Chazal et al. (2004): the previous, next
/// and local RR intervals divided by the record's average RR, and that average in seconds. Then two morphology
/// features: the beat's amplitude over the record's average amplitude, and its distance (1 − correlation) from
/// the record's running template. A model takes none, the RR prefix or all of them.
/// </summary>
public static class RhythmFeatures
{
    /// <summary>All features a beat carries.</summary>
    public const int Count = 6;

    /// <summary>The RR-interval features, the first ones (what checkpoints before the morphology features take).</summary>
    public const int RrCount = 4;

    public static IReadOnlyList<string> Names { get; } =
        ["pre-RR/avg", "post-RR/avg", "local-RR/avg", "avg-RR (s)", "amplitude/avg", "template distance"];

    /// <summary>Whether a model may take this many features: none, the RR prefix, or all.</summary>
    public static bool IsValidCount(int count) => count is 0 or RrCount or Count;

    /// <summary>The names of the first <paramref name="count"/> features.</summary>
    public static IReadOnlyList<string> NamesOf(int count) =>
        IsValidCount(count) ? [.. Names.Take(count)] : throw new ArgumentOutOfRangeException(nameof(count), count, $"a model takes 0, {RrCount} or {Count} beat features");
}
