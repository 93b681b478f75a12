using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Client.Maps;

/// <summary>
/// Which class maps a command shows: a grouping (reference, predicted, cell, or all) and optionally a class.
/// A class keeps reference/V and predicted/V; among confusion cells it keeps those whose reference class it is,
/// and "V-N" names one cell.
/// </summary>
internal sealed record MapSelection(ClassMapGrouping? Grouping, string? Class)
{
    public static MapSelection All { get; } = new(null, null);

    /// <summary>The --grouping value that keeps every grouping.</summary>
    public const string AllGroupings = "all";

    /// <summary>Reads the options; returns an error naming the bad value, or null.</summary>
    public static string? TryParse(string? grouping, string? @class, out MapSelection selection)
    {
        selection = All;
        ClassMapGrouping? g = null;
        if (grouping is not null && !string.Equals(grouping, AllGroupings, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                g = ClassMapGrouping.Parse(grouping);
            }
            catch (ArgumentException)
            {
                return $"--grouping '{grouping}' is not one of {string.Join(", ", ClassMapGroupingNames.All.Select(n => n.Name))}, {AllGroupings}";
            }
        }
        string? c = null;
        if (@class is not null)
        {
            var parts = @class.Split('-');
            if (parts.Length > 2 || parts.Any(p => !IsClass(p)))
                return $"--class '{@class}' is not an AAMI class (N, S, V, F, Q) or a confusion cell reference-predicted such as V-N";
            if (parts.Length == 2 && g is not (null or ClassMapGrouping.Cell))
                return $"--class {@class} names a confusion cell: use it with --grouping cell";
            c = string.Join('-', parts.Select(p => p.ToUpperInvariant()));
            if (parts.Length == 2) g = ClassMapGrouping.Cell;
        }
        selection = new MapSelection(g, c);
        return null;
    }

    public bool Matches(string key)
    {
        ClassMapKey parsed;
        try
        {
            parsed = ClassMapKey.Parse(key);
        }
        catch (ArgumentException)
        {
            return false;
        }
        if (Grouping is { } g && parsed.Grouping != g) return false;
        if (Class is null) return true;
        return parsed.Grouping switch
        {
            ClassMapGrouping.Reference => parsed.Reference.ToString() == Class,
            ClassMapGrouping.Predicted => parsed.Predicted.ToString() == Class,
            _ => Class.Contains('-') ? $"{parsed.Reference}-{parsed.Predicted}" == Class : parsed.Reference.ToString() == Class,
        };
    }

    private static bool IsClass(string text) => Aami.Classes.Any(c => string.Equals(c.ToString(), text, StringComparison.OrdinalIgnoreCase));
}
