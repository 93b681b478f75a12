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
/// RR-interval features in the spirit of de Chazal et al. (2004), normalised so that they compare
/// across patients: the previous, next and local RR intervals divided by the record's average RR so
/// far, and that average in seconds.
/// </summary>
public static class RhythmFeatures
{
    public const int Count = 4;

    public static IReadOnlyList<string> Names { get; } = ["pre-RR/avg", "post-RR/avg", "local-RR/avg", "avg-RR (s)"];
}
