using System.Globalization;

namespace EcgOrleans.Signal.Wfdb;

/// <summary>
/// The definition notes the WFDB library (put_ann_table) and wfdb-python write at the start of an annotation
/// file: NOTE annotations at time 0 whose AUX text is "## time resolution: F" or an annotation-type table
/// ("## annotation type definitions", "code mnemonic description" lines, "## end of definitions"), followed
/// by a null (code 0) annotation at time 0 reached with a SKIP back of one tick. The WFDB library's reader
/// (get_ann_table) consumes them and never returns them as annotations; so does this one.
/// </summary>
internal static class AnnotationPreamble
{
    public const string TimeResolutionPrefix = "## time resolution: ";
    private const string TableStart = "## annotation type definitions";
    private const string TableEnd = "## end of definitions";

    /// <summary>Splits the leading definition notes off <paramref name="annotations"/> (in place) and reads the time resolution.</summary>
    public static (double? TimeResolution, List<string> Definitions) Extract(List<Annotation> annotations, string record, string file)
    {
        double? resolution = null;
        var definitions = new List<string>();
        var inTable = false;
        var count = 0;
        while (count < annotations.Count && IsNote(annotations[count]) is { } text && (inTable || text.StartsWith('#')))
        {
            if (text.StartsWith(TimeResolutionPrefix, StringComparison.Ordinal))
                resolution ??= ParseResolution(text, record, file);
            else
                definitions.Add(text);
            if (text == TableStart) inTable = true;
            else if (text == TableEnd) inTable = false;
            count++;
        }
        // The null annotation that steps back to time 0 closes the preamble.
        if (count > 0 && count < annotations.Count && annotations[count] is { Code: AnnotationCode.NotQrs, Sample: 0, SubType: 0, Aux: null })
            count++;
        annotations.RemoveRange(0, count);
        return (resolution, definitions);
    }

    /// <summary>
    /// Whether the writer must refuse <paramref name="annotation"/> at the head of a file: a NOTE at time 0 whose
    /// AUX starts with '#' would be read back as a definition, not as an annotation.
    /// </summary>
    public static bool WouldReadAsDefinition(Annotation annotation) => IsNote(annotation) is { } text && text.StartsWith('#');

    private static string? IsNote(Annotation a) =>
        a is { Code: AnnotationCode.Note, Sample: 0, SubType: 0, Aux: { } text } ? text : null;

    private static double ParseResolution(string text, string record, string file)
    {
        // sscanf("%lf") in the WFDB library: the leading number counts, anything after it does not.
        var value = text[TimeResolutionPrefix.Length..].TrimStart();
        var end = 0;
        while (end < value.Length && !char.IsWhiteSpace(value[end])) end++;
        if (double.TryParse(value[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var resolution)
            && resolution > 0 && double.IsFinite(resolution))
            return resolution;
        throw new WfdbFormatException(record, file, "time resolution",
            $"the note '{text}' does not give a positive number of ticks per second");
    }
}
