namespace EcgOrleans.Signal.Wfdb;

/// <summary>One annotation of an MIT-format annotation file, with the fields its pseudo-codes set.</summary>
/// <param name="Sample">Sample number (time) of the annotation, from the start of the record.</param>
/// <param name="Code">Annotation code.</param>
/// <param name="SubType">The SUB field (signed byte in the WFDB library).</param>
/// <param name="Channel">The CHN field: signal the annotation refers to.</param>
/// <param name="Number">The NUM field.</param>
/// <param name="Aux">The AUX string (e.g. rhythm "(AFIB"), or null.</param>
public readonly record struct Annotation(long Sample, AnnotationCode Code, int SubType, int Channel, int Number, string? Aux)
{
    public string Mnemonic => AnnotationCodes.Mnemonic(Code);

    public bool IsBeat => AnnotationCodes.IsBeat(Code);

    public override string ToString() => Aux is null ? $"{Sample} {Mnemonic}" : $"{Sample} {Mnemonic} {Aux}";
}
