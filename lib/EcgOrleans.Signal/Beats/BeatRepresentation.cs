namespace EcgOrleans.Signal.Beats;

public enum RepresentationKind
{
    /// <summary>Lead MLII at the record's rate, a fixed window around the R peak, baseline removed, standardised per beat.</summary>
    Window,

    /// <summary>
    /// Kachuee et al. (2018): 125 Hz, [0, 1], from the R peak to 1.2 x median RR, zero-padded to 187 samples. Its name,
    /// "kachuee", is also the name of an architecture (the paper's CNN, which takes either representation); a checkpoint
    /// names both, architecture first ("kachuee-kachuee-ds1": the CNN on these beats). The name is stored in checkpoints
    /// and runs, so it stays.
    /// </summary>
    Kachuee,
}

/// <summary>How beats are cut: the representation and the fixed length models see.</summary>
public sealed record BeatRepresentation(RepresentationKind Kind, int Length, int SamplesBeforeR, double SamplingFrequency)
{
    /// <summary>256 samples at 360 Hz: 96 before the R peak (267 ms), 160 from it on (444 ms).</summary>
    public static BeatRepresentation Window { get; } = new(RepresentationKind.Window, 256, 96, 360);

    /// <summary>187 samples at 125 Hz starting at the R peak (Kachuee et al. 2018).</summary>
    public static BeatRepresentation Kachuee { get; } = new(RepresentationKind.Kachuee, 187, 0, 125);

    public string Name => Kind.ToString().ToLowerInvariant();

    public static BeatRepresentation Parse(string name) => name.ToLowerInvariant() switch
    {
        "window" => Window,
        "kachuee" => Kachuee,
        _ => throw new ArgumentException($"unknown representation '{name}': use window or kachuee", nameof(name)),
    };
}
