using System.Globalization;
using System.Text;

namespace EcgOrleans.Signal.Wfdb;

/// <summary>
/// Writes WFDB records: the header (header(5)), signal files in formats 212 and 16 (signal(5)),
/// and MIT-format annotation files (annot(5)), in the byte layout the WFDB library's own writers
/// (setheader, putvec, putann) produce, so that <see cref="WfdbRecord.Read"/> and PhysioNet's tools
/// read them back unchanged.
/// </summary>
public static class WfdbWriter
{
    /// <summary>Signal formats the writer can produce.</summary>
    public static IReadOnlyList<int> WritableFormats { get; } = [212, 16];

    /// <summary>
    /// Writes <c>name.hea</c>, the signal files the header names and <c>name.annotator</c> into
    /// <paramref name="directory"/>. The sample count, initial values and checksums come from the
    /// samples, not from the header passed in. Returns the header as written.
    /// </summary>
    public static RecordHeader Write(string directory, WfdbRecord record, string annotator = "atr")
    {
        var header = WriteSignals(directory, record.Header, record.Digital);
        WriteAnnotations(directory, record.Name, record.Annotations, annotator);
        return header;
    }

    /// <summary>Writes the header and the signal files; returns the header as written.</summary>
    public static RecordHeader WriteSignals(string directory, RecordHeader header, IReadOnlyList<int[]> digital)
    {
        var written = Complete(header, digital);
        foreach (var (file, signals) in FileGroups(written))
        {
            var bytes = EncodeSignals(written.Name, file, written.Signals[signals[0]].Format, [.. signals.Select(s => digital[s])]);
            WriteFile(written.Name, directory, file, bytes);
        }
        WriteFile(written.Name, directory, written.Name + ".hea", Encoding.Latin1.GetBytes(FormatHeader(written)));
        return written;
    }

    /// <summary>Writes <c>record.annotator</c>, an MIT-format annotation file.</summary>
    public static void WriteAnnotations(
        string directory, string record, IReadOnlyList<Annotation> annotations, string annotator = "atr", AnnotationWriteOptions? options = null)
    {
        var file = $"{record}.{annotator}";
        if (annotator.Length == 0 || annotator.IndexOfAny(['/', '\\', '.']) >= 0)
            throw new WfdbFormatException(record, file, "annotator", $"'{annotator}' is not a plain annotator name");
        CheckRecordName(record, file);
        WriteFile(record, directory, file, EncodeAnnotations(annotations, record, file, options));
    }

    /// <summary>
    /// The header to write for <paramref name="digital"/>: the sample count, every signal's initial
    /// value and checksum taken from the samples, byte offsets and block sizes zero.
    /// </summary>
    public static RecordHeader Complete(RecordHeader header, IReadOnlyList<int[]> digital)
    {
        var file = header.Name + ".hea";
        CheckRecordName(header.Name, file);
        if (digital.Count != header.SignalCount)
            throw new WfdbFormatException(header.Name, file, "number of signals",
                $"the header describes {header.SignalCount} signals but {digital.Count} sample arrays were given");
        var length = digital.Count == 0 ? 0 : digital[0].Length;
        var signals = new SignalSpec[header.SignalCount];
        for (var s = 0; s < signals.Length; s++)
        {
            var spec = header.Signals[s];
            if (digital[s].Length != length)
                throw new WfdbFormatException(header.Name, spec.FileName, $"signal {s} samples",
                    $"signal 0 has {length} samples but signal {s} has {digital[s].Length}; every signal needs one sample per frame");
            signals[s] = spec with
            {
                ByteOffset = 0,
                BlockSize = 0,
                InitialValue = length == 0 ? spec.AdcZero : digital[s][0],
                Checksum = Checksum(digital[s]),
            };
        }
        // A sample count of 0 means "not given" in a header: an empty record reads back with none.
        var completed = header with { SampleCount = length == 0 ? null : length, Signals = signals };
        _ = FileGroups(completed).ToList(); // validates file names and formats before anything is written
        return completed;
    }

    /// <summary>The 16-bit checksum a WFDB header carries: the sum of the samples, modulo 2^16, as a signed value.</summary>
    public static short Checksum(ReadOnlySpan<int> samples)
    {
        var sum = 0;
        foreach (var sample in samples) sum = unchecked(sum + sample);
        return unchecked((short)sum);
    }

    /// <summary>
    /// The text of a header: the record line, one line per signal, then the comments. Fields that
    /// hold their default (baseline equal to the ADC zero, units mV, counter frequency equal to the
    /// sampling frequency) are left out, as MIT-BIH's headers do.
    /// </summary>
    public static string FormatHeader(RecordHeader header)
    {
        var file = header.Name + ".hea";
        var text = new StringBuilder();
        text.Append(header.Name).Append(' ').Append(Number(header.SignalCount)).Append(' ').Append(Number(header.SamplingFrequency));
        if (header.CounterFrequency != header.SamplingFrequency || header.BaseCounter != 0)
        {
            text.Append('/').Append(Number(header.CounterFrequency));
            if (header.BaseCounter != 0) text.Append('(').Append(Number(header.BaseCounter)).Append(')');
        }
        text.Append(' ').Append(Number(header.SampleCount ?? 0));
        if (header.BaseTime is not null)
        {
            text.Append(' ').Append(CheckField(header.Name, file, "base time", header.BaseTime));
            if (header.BaseDate is not null) text.Append(' ').Append(CheckField(header.Name, file, "base date", header.BaseDate));
        }
        else if (header.BaseDate is not null)
        {
            throw new WfdbFormatException(header.Name, file, "base date", "a base date needs a base time before it");
        }
        text.Append('\n');

        for (var s = 0; s < header.SignalCount; s++)
        {
            var spec = header.Signals[s];
            var where = $"signal {s}";
            text.Append(CheckField(header.Name, file, $"{where} file name", spec.FileName)).Append(' ').Append(Number(spec.Format));
            if (spec.ByteOffset != 0) text.Append('+').Append(Number(spec.ByteOffset));
            text.Append(' ').Append(Number(spec.Gain));
            if (spec.Baseline != spec.AdcZero) text.Append('(').Append(Number(spec.Baseline)).Append(')');
            if (spec.Units != "mV") text.Append('/').Append(CheckField(header.Name, file, $"{where} units", spec.Units));
            text.Append(' ').Append(Number(spec.AdcResolution))
                .Append(' ').Append(Number(spec.AdcZero))
                .Append(' ').Append(Number(spec.InitialValue ?? spec.AdcZero))
                .Append(' ').Append(Number(spec.Checksum ?? 0))
                .Append(' ').Append(Number(spec.BlockSize));
            var description = spec.Description.Trim();
            if (description.Contains('\n') || description.Contains('\r'))
                throw new WfdbFormatException(header.Name, file, $"{where} description", "a description is one line");
            if (description.Length > 0) text.Append(' ').Append(description);
            text.Append('\n');
        }

        foreach (var comment in header.Comments)
        {
            if (comment.Contains('\n') || comment.Contains('\r'))
                throw new WfdbFormatException(header.Name, file, "comment", "a comment is one line");
            text.Append("# ").Append(comment).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Encodes the interleaved samples of one signal file. Format 212 packs two 12-bit samples into three
    /// bytes and ends, for an odd number of samples, with the two bytes the last one needs; format 16 is
    /// one little-endian 16-bit word per sample.
    /// </summary>
    public static byte[] EncodeSignals(string record, string file, int format, IReadOnlyList<int[]> signals)
    {
        var (min, max) = format switch
        {
            212 => (-2048, 2047),
            16 => (-32768, 32767),
            _ => throw new WfdbFormatException(record, file, "format",
                $"format {format} cannot be written (writable: {string.Join(", ", WritableFormats)})"),
        };
        var width = signals.Count;
        var frames = width == 0 ? 0 : signals[0].Length;
        var total = (long)frames * width;
        var bytes = new byte[SignalFormats.BytesFor(format, total)];
        long at = 0;
        var pending = 0; // format 212: the first sample of a pair, waiting for its partner
        for (var f = 0; f < frames; f++)
        {
            for (var k = 0; k < width; k++)
            {
                var value = signals[k][f];
                if (value < min || value > max)
                    throw new WfdbFormatException(record, file, $"signal {k} sample {f}",
                        $"{value} does not fit format {format} ({min}..{max})");
                var index = (long)f * width + k;
                if (format == 16)
                {
                    bytes[2 * index] = (byte)value;
                    bytes[2 * index + 1] = (byte)(value >> 8);
                }
                else if (index % 2 == 0)
                {
                    pending = value;
                    bytes[at] = (byte)value;
                    bytes[at + 1] = (byte)(value >> 8 & 0x0F);
                }
                else
                {
                    bytes[at + 1] = (byte)(pending >> 8 & 0x0F | (value >> 8 & 0x0F) << 4);
                    bytes[at + 2] = (byte)value;
                    at += 3;
                }
            }
        }
        return bytes;
    }

    /// <summary>
    /// Encodes annotations as an MIT-format file, laid out as the WFDB library's putann does (see
    /// <see cref="AnnotationEncoder"/>); <paramref name="options"/> add WFDB's time-resolution preamble or leave
    /// out the end word.
    /// </summary>
    public static byte[] EncodeAnnotations(IReadOnlyList<Annotation> annotations, string record = "", string file = "", AnnotationWriteOptions? options = null) =>
        AnnotationEncoder.Encode(annotations, record, file, options ?? AnnotationWriteOptions.Default);

    /// <summary>Signal files in order of first appearance, with the signals each interleaves.</summary>
    private static IEnumerable<(string File, int[] Signals)> FileGroups(RecordHeader header)
    {
        var file = header.Name + ".hea";
        var groups = header.Signals
            .Select((spec, index) => (spec, index))
            .GroupBy(s => s.spec.FileName, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var first = group.First();
            CheckFileName(header.Name, file, $"signal {first.index} file name", group.Key);
            foreach (var (spec, index) in group)
            {
                if (!WritableFormats.Contains(spec.Format))
                    throw new WfdbFormatException(header.Name, file, $"signal {index} format",
                        $"format {spec.Format} cannot be written (writable: {string.Join(", ", WritableFormats)})");
                if (spec.Format != first.spec.Format)
                    throw new WfdbFormatException(header.Name, file, $"signal {index} format",
                        $"signals in one file ({group.Key}) must share a format; found {first.spec.Format} and {spec.Format}");
            }
            yield return (group.Key, [.. group.Select(s => s.index)]);
        }
    }

    private static void WriteFile(string record, string directory, string file, byte[] bytes)
    {
        var path = Path.Combine(directory, file);
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WfdbFormatException(record, file, "output file", $"cannot write {path}: {e.Message}", e);
        }
    }

    private static void CheckRecordName(string record, string file)
    {
        if (record.Length == 0 || !record.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new WfdbFormatException(record, file, "record name", $"'{record}' is not a record name (letters, digits and underscores)");
    }

    private static void CheckFileName(string record, string file, string field, string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Any(c => c is '/' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new WfdbFormatException(record, file, field, $"'{name}' is not a plain file name beside the header");
    }

    private static string CheckField(string record, string file, string field, string value) =>
        value.Length > 0 && !value.Any(char.IsWhiteSpace)
            ? value
            : throw new WfdbFormatException(record, file, field, $"'{value}' is empty or holds white space");

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
