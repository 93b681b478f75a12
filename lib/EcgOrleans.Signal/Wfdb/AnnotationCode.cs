namespace EcgOrleans.Signal.Wfdb;

/// <summary>Annotation codes of the WFDB library (ecgcodes.h). Values are the 6-bit codes stored in MIT files.</summary>
public enum AnnotationCode : byte
{
    NotQrs = 0,
    Normal = 1,
    Lbbb = 2,
    Rbbb = 3,
    Aberrated = 4,
    Pvc = 5,
    Fusion = 6,
    Npc = 7,
    Apc = 8,
    Svpb = 9,
    VentricularEscape = 10,
    NodalEscape = 11,
    Paced = 12,
    Unknown = 13,
    Noise = 14,
    Artifact = 16,
    StChange = 18,
    TChange = 19,
    Systole = 20,
    Diastole = 21,
    Note = 22,
    Measure = 23,
    PWave = 24,
    BundleBranchBlock = 25,
    PacemakerSpike = 26,
    TWave = 27,
    Rhythm = 28,
    UWave = 29,
    Learn = 30,
    FlutterWave = 31,
    VfOnset = 32,
    VfOffset = 33,
    AtrialEscape = 34,
    SupraventricularEscape = 35,
    Link = 36,
    NonConductedPWave = 37,
    PacedFusion = 38,
    WaveformOnset = 39,
    WaveformOffset = 40,
    ROnT = 41,
}

/// <summary>The annotation-code table: mnemonics as PhysioNet prints them, and which codes are beats.</summary>
public static class AnnotationCodes
{
    private static readonly string?[] Mnemonics = BuildMnemonics();

    /// <summary>The largest code the WFDB library defines (ACMAX is 49, but 42..49 are unassigned).</summary>
    public const int MaxDefined = 41;

    public static bool IsDefined(int code) => code is >= 0 and <= MaxDefined && Mnemonics[code] is not null;

    /// <summary>The one-character (or short) mnemonic PhysioNet uses, e.g. "N", "V", "/", "+".</summary>
    public static string Mnemonic(AnnotationCode code) =>
        IsDefined((int)code) ? Mnemonics[(int)code]! : $"[{(int)code}]";

    public static bool TryParse(string mnemonic, out AnnotationCode code)
    {
        for (var i = 0; i <= MaxDefined; i++)
        {
            if (Mnemonics[i] == mnemonic)
            {
                code = (AnnotationCode)i;
                return true;
            }
        }
        code = default;
        return false;
    }

    /// <summary>Beat annotations (isqrs() in the WFDB library): every code that marks a QRS complex.</summary>
    public static bool IsBeat(AnnotationCode code) => code switch
    {
        AnnotationCode.Normal or AnnotationCode.Lbbb or AnnotationCode.Rbbb or AnnotationCode.Aberrated
            or AnnotationCode.Pvc or AnnotationCode.Fusion or AnnotationCode.Npc or AnnotationCode.Apc
            or AnnotationCode.Svpb or AnnotationCode.VentricularEscape or AnnotationCode.NodalEscape
            or AnnotationCode.Paced or AnnotationCode.Unknown or AnnotationCode.Learn
            or AnnotationCode.AtrialEscape or AnnotationCode.SupraventricularEscape
            or AnnotationCode.PacedFusion or AnnotationCode.ROnT => true,
        _ => false,
    };

    private static string?[] BuildMnemonics()
    {
        var table = new string?[MaxDefined + 1];
        string[] pairs =
        [
            "0: ", "1:N", "2:L", "3:R", "4:a", "5:V", "6:F", "7:J", "8:A", "9:S", "10:E", "11:j", "12:/", "13:Q",
            "14:~", "16:|", "18:s", "19:T", "20:*", "21:D", "22:\"", "23:=", "24:p", "25:B", "26:^", "27:t",
            "28:+", "29:u", "30:?", "31:!", "32:[", "33:]", "34:e", "35:n", "36:@", "37:x", "38:f", "39:(",
            "40:)", "41:r",
        ];
        foreach (var pair in pairs)
        {
            var colon = pair.IndexOf(':');
            table[int.Parse(pair[..colon])] = pair[(colon + 1)..];
        }
        return table;
    }
}
