using System.Globalization;

namespace EcgOrleans.Signal.Wfdb;

/// <summary>How <see cref="WfdbWriter.EncodeAnnotations"/> lays out an annotation file.</summary>
public sealed record AnnotationWriteOptions
{
    public static AnnotationWriteOptions Default { get; } = new();

    /// <summary>
    /// Ticks per second to state in WFDB's time-resolution preamble (a NOTE at time 0 with the AUX text
    /// "## time resolution: F", then a SKIP back of one tick and a null annotation at time 0), as the WFDB
    /// library writes for a record whose annotation resolution is set; null writes no preamble. Annotation
    /// times are written as given, in these ticks.
    /// </summary>
    public double? TimeResolution { get; init; }

    /// <summary>Whether to end the file with the zero word. Without it the file reads as cut short (for tests).</summary>
    public bool EndWord { get; init; } = true;
}

/// <summary>
/// Encodes annotations as an MIT-format file, as the WFDB library's putann does: one code word per annotation
/// (6-bit code, 10-bit interval since the previous one), a SKIP word with a 32-bit interval when the interval
/// does not fit (or goes backwards), SUB when the subtype is not zero, CHN and NUM when they differ from the
/// previous annotation's, AUX with the string and a terminating NUL padded to an even length (as MIT-BIH's
/// files hold them), and a final zero word.
/// </summary>
internal sealed class AnnotationEncoder
{
    private const int MaxInterval = 1023; // MAXRR: the largest interval a code word's 10-bit field holds
    private const int MaxAuxBytes = 255; // the WFDB library keeps the AUX length in one byte
    private const int Skip = AnnotationDecoder.Skip, Num = AnnotationDecoder.Num, Sub = AnnotationDecoder.Sub,
        Chn = AnnotationDecoder.Chn, Aux = AnnotationDecoder.Aux;

    private readonly List<byte> _output;
    private readonly string _record, _file;
    private long _time;
    private int _channel, _number;

    private AnnotationEncoder(int capacity, string record, string file)
    {
        _output = new List<byte>(capacity);
        _record = record;
        _file = file;
    }

    public static byte[] Encode(IReadOnlyList<Annotation> annotations, string record, string file, AnnotationWriteOptions options)
    {
        var encoder = new AnnotationEncoder(annotations.Count * 2 + 64, record, file);
        if (options.TimeResolution is { } resolution) encoder.Preamble(resolution);
        for (var i = 0; i < annotations.Count; i++)
        {
            var a = annotations[i];
            var where = $"annotation {i} ({a.Sample} {a.Mnemonic})";
            // Readers take the notes that open a file for definitions; only the first can be mistaken for one.
            if (i == 0 && AnnotationPreamble.WouldReadAsDefinition(a))
                throw new WfdbFormatException(record, file, $"{where} aux",
                    "a NOTE at sample 0 whose AUX text starts with '#' opens the file and would read back as a definition, not an annotation");
            encoder.Annotation(a, where);
        }
        if (options.EndWord) encoder.Word(0);
        return [.. encoder._output];
    }

    /// <summary>WFDB's put_ann_table: the time-resolution note, then a null annotation at time 0 reached by a SKIP of -1.</summary>
    private void Preamble(double resolution)
    {
        if (!(resolution > 0) || !double.IsFinite(resolution))
            throw new WfdbFormatException(_record, _file, "time resolution", $"{resolution} is not a positive number of ticks per second");
        var text = AnnotationPreamble.TimeResolutionPrefix + resolution.ToString("G12", CultureInfo.InvariantCulture);
        Word((int)AnnotationCode.Note << 10);
        AuxWord(text, terminator: false); // the library writes strlen() bytes, without the NUL
        SkipWord(-1);
        Word((int)AnnotationCode.NotQrs << 10 | 1);
    }

    private void Annotation(Annotation a, string where)
    {
        Validate(a, where);
        var interval = a.Sample - _time;
        if (interval is > int.MaxValue or < int.MinValue)
            throw new WfdbFormatException(_record, _file, $"{where} sample", $"the interval {interval} from the previous annotation does not fit 32 bits");

        if (a.Code == AnnotationCode.NotQrs)
        {
            // A code-0 word with a zero interval is the end-of-file mark: step to one sample before and back.
            if (a.Sample == 0)
                throw new WfdbFormatException(_record, _file, $"{where} code",
                    "a NOTQRS (code 0) annotation cannot sit at sample 0: the file would have to step to sample -1 first");
            SkipWord(interval - 1);
            interval = 1;
        }
        else if (interval is > MaxInterval or < 0)
        {
            SkipWord(interval);
            interval = 0;
        }
        Word((int)a.Code << 10 | (int)interval);
        if (a.SubType != 0) Word(Sub << 10 | a.SubType & 0x3FF);
        if (a.Channel != _channel) Word(Chn << 10 | a.Channel & 0x3FF);
        if (a.Number != _number) Word(Num << 10 | a.Number & 0x3FF);
        if (a.Aux is { } aux) AuxWord(aux, terminator: true); // the terminating NUL counts, as in MIT-BIH
        _time = a.Sample;
        _channel = a.Channel;
        _number = a.Number;
    }

    private void Word(int word)
    {
        _output.Add((byte)word);
        _output.Add((byte)(word >> 8));
    }

    private void SkipWord(long interval)
    {
        Word(Skip << 10);
        var value = unchecked((uint)(int)interval);
        Word((int)(value >> 16)); // PDP-11 order: the high word first, each word little-endian
        Word((int)(value & 0xFFFF));
    }

    private void AuxWord(string text, bool terminator)
    {
        var length = text.Length + (terminator ? 1 : 0);
        Word(Aux << 10 | length);
        foreach (var c in text) _output.Add((byte)c);
        if (terminator) _output.Add(0);
        if (length % 2 == 1) _output.Add(0);
    }

    private void Validate(Annotation a, string where)
    {
        if (a.Sample < 0)
            throw Refuse($"{where} sample", "an annotation cannot sit before the start of the record");
        if (!AnnotationCodes.IsDefined((int)a.Code))
            throw Refuse($"{where} code", $"code {(int)a.Code} is not in the annotation-code table");
        // The WFDB library holds these fields in C chars: subtyp and num signed, chan unsigned.
        if (a.SubType is < sbyte.MinValue or > sbyte.MaxValue)
            throw Refuse($"{where} subtype", $"{a.SubType} is not between -128 and 127");
        if (a.Number is < sbyte.MinValue or > sbyte.MaxValue)
            throw Refuse($"{where} number", $"{a.Number} is not between -128 and 127");
        if (a.Channel is < 0 or > byte.MaxValue)
            throw Refuse($"{where} channel", $"{a.Channel} is not between 0 and 255");
        if (a.Aux is { } aux)
        {
            if (aux.Length + 1 > MaxAuxBytes)
                throw Refuse($"{where} aux", $"{aux.Length} characters do not fit the {MaxAuxBytes - 1} an AUX string holds");
            foreach (var c in aux)
            {
                if (c is '\0' or > '\u00FF')
                    throw Refuse($"{where} aux", $"character U+{(int)c:X4} cannot be stored (AUX strings are Latin-1 without NUL)");
            }
        }
    }

    private WfdbFormatException Refuse(string field, string problem) => new(_record, _file, field, problem);
}
