using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.ClassMaps;

/// <summary>How beats are grouped into class maps.</summary>
public enum ClassMapGrouping
{
    /// <summary>By the beat's reference (annotated) class.</summary>
    Reference,

    /// <summary>By the class the model predicts.</summary>
    Predicted,

    /// <summary>By confusion-matrix cell (reference, predicted): misclassified cells are where confounders show.</summary>
    Cell,
}

/// <summary>
/// One class map: a grouping and a class, or a confusion cell. Its stable string form is "reference/V",
/// "predicted/N" or "cell/V-N" (reference first, then predicted), usable as part of a grain key.
/// </summary>
public sealed record ClassMapKey
{
    private ClassMapKey(AamiClass? reference, AamiClass? predicted)
    {
        Reference = reference;
        Predicted = predicted;
    }

    /// <summary>The reference class (null when grouping by predicted class).</summary>
    public AamiClass? Reference { get; }

    /// <summary>The predicted class (null when grouping by reference class).</summary>
    public AamiClass? Predicted { get; }

    public ClassMapGrouping Grouping => (Reference, Predicted) switch
    {
        (not null, null) => ClassMapGrouping.Reference,
        (null, not null) => ClassMapGrouping.Predicted,
        _ => ClassMapGrouping.Cell,
    };

    public static ClassMapKey ByReference(AamiClass reference) => new(Checked(reference), null);

    public static ClassMapKey ByPredicted(AamiClass predicted) => new(null, Checked(predicted));

    public static ClassMapKey Cell(AamiClass reference, AamiClass predicted) => new(Checked(reference), Checked(predicted));

    /// <summary>The grouping's name in the string form: reference, predicted or cell.</summary>
    public static string GroupingName(ClassMapGrouping grouping) => grouping switch
    {
        ClassMapGrouping.Reference => "reference",
        ClassMapGrouping.Predicted => "predicted",
        ClassMapGrouping.Cell => "cell",
        _ => throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "unknown grouping"),
    };

    public override string ToString() => Grouping switch
    {
        ClassMapGrouping.Reference => $"reference/{Reference}",
        ClassMapGrouping.Predicted => $"predicted/{Predicted}",
        _ => $"cell/{Reference}-{Predicted}",
    };

    /// <summary>Reads "reference/V", "predicted/N" or "cell/V-N" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Anything else.</exception>
    public static ClassMapKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/');
        if (slash < 0) throw Invalid(text, "no '/' between grouping and class");
        var grouping = text[..slash].ToLowerInvariant();
        var classes = text[(slash + 1)..];
        return grouping switch
        {
            "reference" => ByReference(ParseClass(text, classes)),
            "predicted" => ByPredicted(ParseClass(text, classes)),
            "cell" when classes.Split('-') is [var reference, var predicted] => Cell(ParseClass(text, reference), ParseClass(text, predicted)),
            "cell" => throw Invalid(text, "a cell is reference-predicted, e.g. cell/V-N"),
            _ => throw Invalid(text, $"unknown grouping '{text[..slash]}'"),
        };
    }

    private static AamiClass ParseClass(string text, string name)
    {
        // Letters only (Enum.Parse would also take "2"), so that every key has a single spelling.
        foreach (var c in Aami.Classes)
        {
            if (string.Equals(c.ToString(), name, StringComparison.OrdinalIgnoreCase)) return c;
        }
        throw Invalid(text, $"'{name}' is not an AAMI class (N, S, V, F or Q)");
    }

    private static AamiClass Checked(AamiClass value) =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "not an AAMI class");

    private static ArgumentException Invalid(string text, string why) =>
        new($"'{text}' is not a class map key (reference/V, predicted/N or cell/V-N): {why}", nameof(text));
}
