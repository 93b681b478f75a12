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

/// <summary>The one spelling of each <see cref="ClassMapGrouping"/>: "reference", "predicted" or "cell".</summary>
public static class ClassMapGroupingNames
{
    /// <summary>Every grouping, in the order of the enum.</summary>
    public static IReadOnlyList<ClassMapGrouping> All { get; } = Enum.GetValues<ClassMapGrouping>();

    extension(ClassMapGrouping grouping)
    {
        /// <summary>Its name in class-map keys, endpoints and options.</summary>
        public string Name => grouping switch
        {
            ClassMapGrouping.Reference => "reference",
            ClassMapGrouping.Predicted => "predicted",
            ClassMapGrouping.Cell => "cell",
            _ => throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "unknown grouping"),
        };

        /// <summary>Reads "reference", "predicted" or "cell" (case-insensitive).</summary>
        /// <exception cref="ArgumentException">Anything else, naming the value and the valid ones.</exception>
        public static ClassMapGrouping Parse(string text) => NamedValues.Parse(text, "grouping", All, g => g.Name);
    }
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
    public static string GroupingName(ClassMapGrouping grouping) => grouping.Name;

    public override string ToString() => Grouping switch
    {
        ClassMapGrouping.Reference => $"{Grouping.Name}/{Reference}",
        ClassMapGrouping.Predicted => $"{Grouping.Name}/{Predicted}",
        _ => $"{Grouping.Name}/{Reference}-{Predicted}",
    };

    /// <summary>Reads "reference/V", "predicted/N" or "cell/V-N" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Anything else.</exception>
    public static ClassMapKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/');
        if (slash < 0) throw Invalid(text, "no '/' between grouping and class");
        ClassMapGrouping grouping;
        try
        {
            grouping = ClassMapGrouping.Parse(text[..slash]);
        }
        catch (ArgumentException e)
        {
            throw Invalid(text, e.Message);
        }
        var classes = text[(slash + 1)..];
        return grouping switch
        {
            ClassMapGrouping.Reference => ByReference(ParseClass(text, classes)),
            ClassMapGrouping.Predicted => ByPredicted(ParseClass(text, classes)),
            _ when classes.Split('-') is [var reference, var predicted] => Cell(ParseClass(text, reference), ParseClass(text, predicted)),
            _ => throw Invalid(text, "a cell is reference-predicted, e.g. cell/V-N"),
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
