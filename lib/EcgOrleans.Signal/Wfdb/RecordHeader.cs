namespace EcgOrleans.Signal.Wfdb;

/// <summary>The record line and signal lines of a WFDB header (<c>.hea</c>), with the specification's defaults applied.</summary>
public sealed record RecordHeader(
    string Name,
    double SamplingFrequency,
    double CounterFrequency,
    double BaseCounter,
    long? SampleCount,
    string? BaseTime,
    string? BaseDate,
    IReadOnlyList<SignalSpec> Signals,
    IReadOnlyList<string> Comments)
{
    public int SignalCount => Signals.Count;

    /// <summary>Index of the signal whose description is <paramref name="description"/> (e.g. "MLII"), or -1.</summary>
    public int IndexOf(string description)
    {
        for (var i = 0; i < Signals.Count; i++)
        {
            if (string.Equals(Signals[i].Description, description, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }
}

/// <summary>One signal line of a WFDB header.</summary>
/// <param name="FileName">Signal file, relative to the header's folder.</param>
/// <param name="Format">Storage format (8, 16, 24, 32, 61, 80, 160, 212, 310, 311).</param>
/// <param name="Gain">ADC units per physical unit (adu/mV for ECG).</param>
/// <param name="Baseline">Digital value that corresponds to 0 physical units.</param>
/// <param name="Units">Physical units, "mV" by default.</param>
/// <param name="AdcResolution">ADC resolution in bits.</param>
/// <param name="AdcZero">Digital value at the middle of the ADC input range.</param>
/// <param name="InitialValue">Value of the first sample; null when the line does not give it.</param>
/// <param name="Checksum">16-bit signed sum of all samples; null when the line does not give it.</param>
/// <param name="BlockSize">Block size in bytes (0 for ordinary files).</param>
/// <param name="Description">Signal description, e.g. "MLII".</param>
public sealed record SignalSpec(
    string FileName,
    int Format,
    int SamplesPerFrame,
    int Skew,
    long ByteOffset,
    double Gain,
    int Baseline,
    string Units,
    int AdcResolution,
    int AdcZero,
    int? InitialValue,
    int? Checksum,
    int BlockSize,
    string Description)
{
    /// <summary>Digital value that the WFDB library writes for a missing sample in this format.</summary>
    public int InvalidSample => Format switch
    {
        212 => -2048,
        310 or 311 => -512,
        8 or 80 => -128,
        24 => -(1 << 23),
        32 => int.MinValue,
        _ => -32768,
    };

    /// <summary>Converts a digital sample to physical units; a missing sample becomes NaN.</summary>
    public float ToPhysical(int digital) =>
        digital == InvalidSample ? float.NaN : (float)((digital - Baseline) / Gain);
}
