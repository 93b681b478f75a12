using System.Text;

namespace EcgOrleans.Signal.Wfdb;

/// <summary>
/// Reads MIT-format annotation files (annot(5)): 16-bit little-endian words of a 6-bit code and a
/// 10-bit time increment, with the pseudo-codes SKIP (a 32-bit interval), NUM, SUB, CHN and AUX
/// (a byte string padded to an even length) that modify the annotation before them or after them.
/// </summary>
public static class AnnotationReader
{
    private const int Skip = 59, Num = 60, Sub = 61, Chn = 62, Aux = 63;

    public static IReadOnlyList<Annotation> Read(string directory, string record, string annotator = "atr")
    {
        var file = $"{record}.{annotator}";
        if (record.IndexOfAny(['/', '\\']) >= 0 || annotator.IndexOfAny(['/', '\\']) >= 0)
            throw new WfdbFormatException(record, file, "annotation file", "record and annotator are plain names, not paths");
        var path = Path.Combine(directory, file);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WfdbFormatException(record, file, "annotation file", $"cannot read {path}: {e.Message}", e);
        }
        return Decode(bytes, record, file);
    }

    /// <summary>Decodes a whole annotation file held in memory.</summary>
    public static List<Annotation> Decode(ReadOnlySpan<byte> bytes, string record, string file)
    {
        if (bytes.Length % 2 != 0)
            throw new WfdbFormatException(record, file, "length", $"{bytes.Length} bytes is not a whole number of 16-bit words");

        var result = new List<Annotation>(bytes.Length / 4);
        long time = 0;
        int channel = 0, number = 0;
        var at = 0;
        var pending = false;
        long pendingTime = 0;
        AnnotationCode pendingCode = default;
        int pendingSub = 0;
        string? pendingAux = null;

        void Flush()
        {
            if (!pending) return;
            result.Add(new Annotation(pendingTime, pendingCode, pendingSub, channel, number, pendingAux));
            pending = false;
        }

        while (true)
        {
            if (at == bytes.Length)
            {
                // The WFDB library writes a final zero word; files without one still end cleanly here.
                Flush();
                return result;
            }
            var word = bytes[at] | bytes[at + 1] << 8;
            var wordOffset = at;
            at += 2;
            var code = word >> 10;
            var data = word & 0x3FF;
            if (word == 0)
            {
                Flush();
                return result;
            }
            switch (code)
            {
                case Skip:
                    {
                        if (data != 0)
                            throw Error(record, file, "SKIP", wordOffset, $"a SKIP word must have a zero data field, found {data}");
                        if (bytes.Length - at < 4)
                            throw Error(record, file, "SKIP", wordOffset, "the file ends inside a SKIP interval");
                        // PDP-11 long: the high 16-bit word first, each word little-endian.
                        var high = bytes[at] | bytes[at + 1] << 8;
                        var low = bytes[at + 2] | bytes[at + 3] << 8;
                        at += 4;
                        Flush();
                        time += (int)((uint)high << 16 | (uint)low);
                        if (time < 0)
                            throw Error(record, file, "SKIP", wordOffset, $"the interval moves the time before the start of the record ({time})");
                        break;
                    }
                case Num:
                    // NUM and CHN set the field of the annotation before them and of all that follow.
                    // The WFDB library keeps num in a signed char and chan in an unsigned char.
                    number = unchecked((sbyte)data);
                    break;
                case Sub:
                    if (!pending) throw Error(record, file, "SUB", wordOffset, "a SUB word with no annotation before it");
                    pendingSub = unchecked((sbyte)data); // subtyp is a signed char: putann writes -1 as 0x3FF
                    break;
                case Chn:
                    channel = unchecked((byte)data);
                    break;
                case Aux:
                    {
                        if (!pending) throw Error(record, file, "AUX", wordOffset, "an AUX word with no annotation before it");
                        var padded = data + (data & 1);
                        if (bytes.Length - at < padded)
                            throw Error(record, file, "AUX", wordOffset, $"the AUX string of {data} bytes runs past the end of the file");
                        pendingAux = Encoding.Latin1.GetString(bytes.Slice(at, data)).TrimEnd('\0');
                        at += padded;
                        break;
                    }
                default:
                    if (!AnnotationCodes.IsDefined(code))
                        throw Error(record, file, "annotation code", wordOffset, $"code {code} is not in the annotation-code table");
                    Flush();
                    time += data;
                    pending = true;
                    pendingTime = time;
                    pendingCode = (AnnotationCode)code;
                    pendingSub = 0;
                    pendingAux = null;
                    break;
            }
        }
    }

    private static WfdbFormatException Error(string record, string file, string field, int offset, string problem) =>
        new(record, file, field, $"at byte {offset}: {problem}");
}
