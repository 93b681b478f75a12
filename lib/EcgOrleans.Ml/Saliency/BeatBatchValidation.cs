using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Saliency;

/// <summary>Checks a batch of beats given as plain arrays before any tensor is made.</summary>
public static class BeatBatchValidation
{
    /// <summary>The number of beats, after checking lengths and values.</summary>
    /// <exception cref="ArgumentException">Empty batch, lengths that do not fit the model, NaN or infinite values.</exception>
    public static int Validate(float[] waveforms, float[] rhythm, int waveformLength, int rhythmLength)
    {
        ArgumentNullException.ThrowIfNull(waveforms);
        ArgumentNullException.ThrowIfNull(rhythm);
        if (waveforms.Length == 0)
            throw new ArgumentException("empty batch: no waveform values", nameof(waveforms));
        if (waveforms.Length % waveformLength != 0)
            throw new ArgumentException(
                $"waveforms hold {waveforms.Length} values, not a whole number of beats of {waveformLength} samples (the model's window length)", nameof(waveforms));
        var count = waveforms.Length / waveformLength;
        if (rhythm.Length != (long)count * rhythmLength)
            throw new ArgumentException(
                $"rhythm holds {rhythm.Length} values; {count} beats need {(long)count * rhythmLength} ({rhythmLength} features each)", nameof(rhythm));
        ThrowOnNonFinite(waveforms, waveformLength, "waveform sample", nameof(waveforms));
        ThrowOnNonFinite(rhythm, rhythmLength, "rhythm feature", nameof(rhythm));
        return count;
    }

    /// <summary>Reference class indices for a reference-target batch.</summary>
    /// <exception cref="ArgumentException">References missing, of the wrong count, or not an AAMI class.</exception>
    public static long[] ReferenceIndices(IReadOnlyList<AamiClass?>? references, int count)
    {
        if (references is null)
            throw new ArgumentException("the saliency target is the reference class, but no reference classes were given", nameof(references));
        if (references.Count != count)
            throw new ArgumentException($"{references.Count} reference classes for {count} beats", nameof(references));
        var indices = new long[count];
        for (var i = 0; i < count; i++)
        {
            var reference = references[i]
                ?? throw new ArgumentException($"beat {i} has no reference class; a reference target needs one for every beat", nameof(references));
            if (!Enum.IsDefined(reference))
                throw new ArgumentException($"beat {i}: {(int)reference} is not an AAMI class index (0-4)", nameof(references));
            indices[i] = (long)reference;
        }
        return indices;
    }

    private static void ThrowOnNonFinite(float[] values, int perBeat, string what, string parameter)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"beat {i / perBeat}: {what} {i % perBeat} is {Describe(values[i])}", parameter);
        }
    }

    private static string Describe(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
}
