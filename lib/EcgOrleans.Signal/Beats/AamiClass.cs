using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Beats;

/// <summary>The five heartbeat classes of ANSI/AAMI EC57. The numeric values are the class indices models use.</summary>
public enum AamiClass : byte
{
    /// <summary>Normal and bundle-branch-block beats: N, L, R, e, j.</summary>
    N = 0,

    /// <summary>Supraventricular ectopic beats: A, a, J, S.</summary>
    S = 1,

    /// <summary>Ventricular ectopic beats: V, E.</summary>
    V = 2,

    /// <summary>Fusion of ventricular and normal beats: F.</summary>
    F = 3,

    /// <summary>Unknown: paced, fusion of paced and normal, unclassifiable: /, f, Q.</summary>
    Q = 4,
}

public static class Aami
{
    public const int ClassCount = 5;

    public static IReadOnlyList<AamiClass> Classes { get; } = [AamiClass.N, AamiClass.S, AamiClass.V, AamiClass.F, AamiClass.Q];

    /// <summary>The AAMI class of an annotation code, or null when the code is not a beat of any class.</summary>
    public static AamiClass? FromCode(AnnotationCode code) => code switch
    {
        AnnotationCode.Normal or AnnotationCode.Lbbb or AnnotationCode.Rbbb
            or AnnotationCode.AtrialEscape or AnnotationCode.NodalEscape => AamiClass.N,
        AnnotationCode.Apc or AnnotationCode.Aberrated or AnnotationCode.Npc or AnnotationCode.Svpb => AamiClass.S,
        AnnotationCode.Pvc or AnnotationCode.VentricularEscape => AamiClass.V,
        AnnotationCode.Fusion => AamiClass.F,
        AnnotationCode.Paced or AnnotationCode.PacedFusion or AnnotationCode.Unknown => AamiClass.Q,
        _ => null,
    };

    public static AamiClass Parse(string name) =>
        Enum.TryParse<AamiClass>(name, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"'{name}' is not an AAMI class (N, S, V, F or Q)", nameof(name));
}
