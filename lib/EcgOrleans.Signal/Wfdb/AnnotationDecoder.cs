using System.Text;

namespace EcgOrleans.Signal.Wfdb;

/// <summary>
/// The word-level pass over an MIT-format annotation file (annot(5)): 16-bit little-endian words of a
/// 6-bit code and a 10-bit value. Codes 59..63 are the pseudo-codes SKIP (a 32-bit interval, high word
/// first, that may be negative), NUM, SUB, CHN and AUX; a zero word ends the file. Times are in the
/// file's ticks; the definition notes at the start are still in the list (see <see cref="AnnotationPreamble"/>).
/// </summary>
internal static class AnnotationDecoder
{
    public const int Skip = 59, Num = 60, Sub = 61, Chn = 62, Aux = 63;

    /// <summary>The annotations of the file, in file order, and whether it was cut short (only with <paramref name="keepGoing"/>).</summary>
    public static (List<Annotation> Annotations, string? Truncation) Decode(ReadOnlySpan<byte> bytes, string record, string file, bool keepGoing)
    {
        var state = new State(record, file, keepGoing);
        var length = bytes.Length;
        if (length % 2 != 0)
        {
            if (!keepGoing)
                throw new WfdbFormatException(record, file, "length", $"{length} bytes is not a whole number of 16-bit words");
            length--;
            state.Truncation = $"the file's {length + 1} bytes are not a whole number of 16-bit words: the last byte is ignored";
        }
        var at = 0;
        while (true)
        {
            if (at == length)
            {
                state.Cut("end word", length,
                    $"the file ends at byte {length} without the end word (a zero word): it looks cut short", dropPending: false);
                return state.Result();
            }
            var offset = at;
            var word = bytes[at] | bytes[at + 1] << 8;
            at += 2;
            if (word == 0)
            {
                state.Flush();
                return state.Result();
            }
            var code = word >> 10;
            var data = word & 0x3FF;
            switch (code)
            {
                case Skip:
                    if (data != 0)
                        throw Error(record, file, "SKIP", offset, $"a SKIP word must have a zero data field, found {data}");
                    if (length - at < 4)
                    {
                        state.Cut("SKIP", offset, "the file ends inside a SKIP interval", dropPending: false);
                        return state.Result();
                    }
                    // PDP-11 long: the high 16-bit word first, each word little-endian. Negative steps back.
                    var interval = (int)((uint)(bytes[at] | bytes[at + 1] << 8) << 16 | (uint)(bytes[at + 2] | bytes[at + 3] << 8));
                    at += 4;
                    state.Time += interval;
                    state.LastSkip = (offset, interval);
                    break;
                case Num:
                    // NUM and CHN set the field of the annotation before them and of all that follow.
                    // The WFDB library keeps num in a signed char and chan in an unsigned char.
                    state.Number = unchecked((sbyte)data);
                    break;
                case Chn:
                    state.Channel = unchecked((byte)data);
                    break;
                case Sub:
                    if (!state.Pending) throw Error(record, file, "SUB", offset, "a SUB word with no annotation before it");
                    state.PendingSub = unchecked((sbyte)data); // subtyp is a signed char: putann writes -1 as 0x3FF
                    break;
                case Aux:
                    {
                        if (!state.Pending) throw Error(record, file, "AUX", offset, "an AUX word with no annotation before it");
                        var padded = data + (data & 1);
                        if (length - at < padded)
                        {
                            state.Cut("AUX", offset, $"the AUX string of {data} bytes runs past the end of the file", dropPending: true);
                            return state.Result();
                        }
                        state.PendingAux = Encoding.Latin1.GetString(bytes.Slice(at, data)).TrimEnd('\0');
                        at += padded;
                        break;
                    }
                default:
                    if (!AnnotationCodes.IsDefined(code))
                        throw Error(record, file, "annotation code", offset, $"code {code} is not in the annotation-code table");
                    state.Flush();
                    state.Time += data;
                    state.Begin((AnnotationCode)code);
                    break;
            }
        }
    }

    public static WfdbFormatException Error(string record, string file, string field, int offset, string problem) =>
        new(record, file, field, $"at byte {offset}: {problem}");

    /// <summary>The decoder's running state: the time, the fields that persist, and the annotation being assembled.</summary>
    private sealed class State(string record, string file, bool keepGoing)
    {
        private readonly List<Annotation> _result = [];
        private long _pendingTime;
        private AnnotationCode _pendingCode;

        // The time may dip below zero between a SKIP back and the next annotation (WFDB's preamble does so).
        public long Time;
        public int Channel, Number, PendingSub;
        public string? PendingAux;
        public bool Pending;
        public (int Offset, int Interval)? LastSkip;
        public string? Truncation;

        public void Begin(AnnotationCode code)
        {
            if (Time < 0)
            {
                var (offset, interval) = LastSkip ?? (0, 0);
                throw Error(record, file, "SKIP", offset,
                    $"the SKIP of {interval} puts the next annotation at time {Time}, before the start of the record");
            }
            Pending = true;
            _pendingTime = Time;
            _pendingCode = code;
            PendingSub = 0;
            PendingAux = null;
        }

        public void Flush()
        {
            if (!Pending) return;
            _result.Add(new Annotation(_pendingTime, _pendingCode, PendingSub, Channel, Number, PendingAux));
            Pending = false;
        }

        /// <summary>The file ends early: an error, or (keeping going) the end of the annotations read so far.</summary>
        public void Cut(string field, int offset, string problem, bool dropPending)
        {
            if (!keepGoing) throw Error(record, file, field, offset, problem);
            var dropped = dropPending && Pending;
            if (!dropped) Flush();
            Pending = false;
            var kept = $"{_result.Count} annotation(s) before it are kept" + (dropped ? ", the one the cut AUX string belongs to is dropped" : "");
            Truncation = Truncation is null ? $"{problem}; {kept}" : $"{Truncation}; {problem}; {kept}";
        }

        public (List<Annotation>, string?) Result() => (_result, Truncation);
    }
}
