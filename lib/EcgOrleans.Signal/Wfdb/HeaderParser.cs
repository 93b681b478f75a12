using System.Globalization;
using System.Text.RegularExpressions;

namespace EcgOrleans.Signal.Wfdb;

/// <summary>
/// Parses a WFDB header (header(5) of the WFDB Applications Guide): a record line, one line per
/// signal, and comment lines. CR LF and LF line ends, defaults as the specification gives them.
/// </summary>
public static partial class HeaderParser
{
    private const double DefaultFrequency = 250;
    private const double DefaultGain = 200;
    private const int MaxSignals = 4096;

    public static RecordHeader Parse(string recordName, string text, string fileName = "")
    {
        if (fileName.Length == 0) fileName = recordName + ".hea";
        var comments = new List<string>();
        var lines = new List<(string Text, int Number)>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0) continue;
            if (line[0] == '#')
            {
                comments.Add(line[1..].Trim());
                continue;
            }
            lines.Add((line, number));
        }
        if (lines.Count == 0) throw Error(recordName, fileName, "record line", "the header has no record line");

        var (name, signalCount, frequency, counterFrequency, baseCounter, sampleCount, baseTime, baseDate) =
            ParseRecordLine(recordName, fileName, lines[0].Text);
        if (name != recordName)
            throw Error(recordName, fileName, "record name", $"the header names record '{name}', expected '{recordName}'");
        if (lines.Count - 1 < signalCount)
            throw Error(recordName, fileName, "signal lines", $"the record line announces {signalCount} signals but {lines.Count - 1} signal lines follow");

        var signals = new SignalSpec[signalCount];
        for (var i = 0; i < signalCount; i++)
            signals[i] = ParseSignalLine(recordName, fileName, i, lines[i + 1].Text);

        return new RecordHeader(name, frequency, counterFrequency, baseCounter, sampleCount, baseTime, baseDate, signals, comments);
    }

    private static (string Name, int Signals, double Fs, double CounterFs, double BaseCounter, long? SampleCount, string? BaseTime, string? BaseDate)
        ParseRecordLine(string record, string file, string line)
    {
        var fields = SplitFields(line);
        var nameField = fields[0];
        if (nameField.Contains('/'))
            throw Error(record, file, "record name", $"'{nameField}' is a multi-segment record, which is not supported");
        if (!RecordNamePattern().IsMatch(nameField))
            throw Error(record, file, "record name", $"'{nameField}' is not a record name (letters, digits and underscores)");
        if (fields.Length < 2)
            throw Error(record, file, "number of signals", "the record line has no number of signals");
        var signals = ParseInt(record, file, "number of signals", fields[1]);
        if (signals is < 0 or > MaxSignals)
            throw Error(record, file, "number of signals", $"{signals} is not between 0 and {MaxSignals}");

        double fs = DefaultFrequency, counterFs, baseCounter = 0;
        if (fields.Length > 2)
        {
            var match = FrequencyPattern().Match(fields[2]);
            if (!match.Success)
                throw Error(record, file, "sampling frequency", $"'{fields[2]}' is not of the form fs[/counter[(base)]]");
            fs = ParseDouble(record, file, "sampling frequency", match.Groups["fs"].Value);
            counterFs = match.Groups["cf"].Success ? ParseDouble(record, file, "counter frequency", match.Groups["cf"].Value) : fs;
            if (match.Groups["bc"].Success) baseCounter = ParseDouble(record, file, "base counter", match.Groups["bc"].Value);
        }
        else
        {
            counterFs = fs;
        }
        if (!(fs > 0) || double.IsInfinity(fs))
            throw Error(record, file, "sampling frequency", $"{fields[2]} is not a positive frequency");
        if (!(counterFs > 0) || double.IsInfinity(counterFs))
            throw Error(record, file, "counter frequency", "the counter frequency must be positive");

        long? sampleCount = null;
        if (fields.Length > 3)
        {
            if (!long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw Error(record, file, "number of samples", $"'{fields[3]}' is not a non-negative whole number");
            if (n > 0) sampleCount = n; // 0 means "not given"
        }
        var baseTime = fields.Length > 4 ? fields[4] : null;
        var baseDate = fields.Length > 5 ? fields[5] : null;
        if (baseTime is not null && !BaseTimePattern().IsMatch(baseTime))
            throw Error(record, file, "base time", $"'{baseTime}' is not of the form HH:MM:SS");
        if (baseDate is not null && !BaseDatePattern().IsMatch(baseDate))
            throw Error(record, file, "base date", $"'{baseDate}' is not of the form DD/MM/YYYY");
        return (nameField, signals, fs, counterFs, baseCounter, sampleCount, baseTime, baseDate);
    }

    private static SignalSpec ParseSignalLine(string record, string file, int index, string line)
    {
        var where = $"signal {index}";
        var fields = SplitFields(line, maxFields: 9);
        var fileName = fields[0];
        ValidateFileName(record, file, where, fileName);
        if (fields.Length < 2)
            throw Error(record, file, $"{where} format", "the signal line has no format");

        var formatMatch = FormatPattern().Match(fields[1]);
        if (!formatMatch.Success)
            throw Error(record, file, $"{where} format", $"'{fields[1]}' is not of the form format[xspf][:skew][+offset]");
        var format = ParseInt(record, file, $"{where} format", formatMatch.Groups["f"].Value);
        if (!SignalFormats.IsSupported(format))
            throw Error(record, file, $"{where} format", $"format {format} is unknown or not supported (supported: {string.Join(", ", SignalFormats.Supported)})");
        var spf = formatMatch.Groups["spf"].Success ? ParseInt(record, file, $"{where} samples per frame", formatMatch.Groups["spf"].Value) : 1;
        var skew = formatMatch.Groups["skew"].Success ? ParseInt(record, file, $"{where} skew", formatMatch.Groups["skew"].Value) : 0;
        var offset = formatMatch.Groups["off"].Success ? ParseLong(record, file, $"{where} byte offset", formatMatch.Groups["off"].Value) : 0L;
        if (spf != 1)
            throw Error(record, file, $"{where} samples per frame", $"{spf} samples per frame (multi-frequency records) are not supported");
        if (skew != 0)
            throw Error(record, file, $"{where} skew", $"a skew of {skew} samples is not supported");

        double gain = DefaultGain;
        int? baseline = null;
        var units = "mV";
        if (fields.Length > 2)
        {
            var gainMatch = GainPattern().Match(fields[2]);
            if (!gainMatch.Success)
                throw Error(record, file, $"{where} ADC gain", $"'{fields[2]}' is not of the form gain[(baseline)][/units]");
            gain = ParseDouble(record, file, $"{where} ADC gain", gainMatch.Groups["g"].Value);
            if (gainMatch.Groups["b"].Success) baseline = ParseInt(record, file, $"{where} baseline", gainMatch.Groups["b"].Value);
            if (gainMatch.Groups["u"].Success) units = gainMatch.Groups["u"].Value;
            if (gain < 0 || double.IsNaN(gain) || double.IsInfinity(gain))
                throw Error(record, file, $"{where} ADC gain", $"{fields[2]} is not a non-negative gain");
            if (gain == 0) gain = DefaultGain; // 0 means "uncalibrated": the library uses the default gain
        }

        var resolution = fields.Length > 3 ? ParseInt(record, file, $"{where} ADC resolution", fields[3]) : 0;
        if (resolution == 0) resolution = SignalFormats.DefaultResolution(format);
        if (resolution is < 1 or > 32)
            throw Error(record, file, $"{where} ADC resolution", $"{resolution} bits is not between 1 and 32");
        var adcZero = fields.Length > 4 ? ParseInt(record, file, $"{where} ADC zero", fields[4]) : 0;
        int? initial = fields.Length > 5 ? ParseInt(record, file, $"{where} initial value", fields[5]) : null;
        int? checksum = fields.Length > 6 ? ParseInt(record, file, $"{where} checksum", fields[6]) : null;
        if (checksum is < short.MinValue or > ushort.MaxValue)
            throw Error(record, file, $"{where} checksum", $"{checksum} is not a 16-bit value");
        var blockSize = fields.Length > 7 ? ParseInt(record, file, $"{where} block size", fields[7]) : 0;
        if (blockSize < 0)
            throw Error(record, file, $"{where} block size", $"{blockSize} is negative");
        var description = fields.Length > 8 ? fields[8] : $"record {record}, signal {index}";

        return new SignalSpec(fileName, format, spf, skew, offset, gain, baseline ?? adcZero, units, resolution,
            adcZero, initial, checksum, blockSize, description);
    }

    /// <summary>A signal file must sit in the header's own folder: no paths, no parent links.</summary>
    private static void ValidateFileName(string record, string file, string where, string name)
    {
        if (name == "-")
            throw Error(record, file, $"{where} file name", "signals on standard input ('-') are not supported");
        if (name.Contains('/') || name.Contains('\\') || name == "." || name == ".." || Path.IsPathRooted(name)
            || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw Error(record, file, $"{where} file name", $"'{name}' points outside the header's folder; a signal file must be a plain name beside the header");
    }

    private static string[] SplitFields(string line, int maxFields = int.MaxValue)
    {
        var fields = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i >= line.Length) break;
            if (fields.Count == maxFields - 1)
            {
                fields.Add(line[i..].Trim()); // the description is the rest of the line, spaces and all
                break;
            }
            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i])) i++;
            fields.Add(line[start..i]);
        }
        return [.. fields];
    }

    private static int ParseInt(string record, string file, string field, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(record, file, field, $"'{text}' is not a whole number");

    private static long ParseLong(string record, string file, string field, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(record, file, field, $"'{text}' is not a non-negative whole number");

    private static double ParseDouble(string record, string file, string field, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw Error(record, file, field, $"'{text}' is not a number");

    private static WfdbFormatException Error(string record, string file, string field, string problem) =>
        new(record, file, field, problem);

    [GeneratedRegex(@"^[A-Za-z0-9_]+$")]
    private static partial Regex RecordNamePattern();

    [GeneratedRegex(@"^(?<fs>[0-9.eE+-]+)(/(?<cf>[0-9.eE+-]+)(\((?<bc>[0-9.eE+-]+)\))?)?$")]
    private static partial Regex FrequencyPattern();

    [GeneratedRegex(@"^(?<f>\d+)(x(?<spf>\d+))?(:(?<skew>\d+))?(\+(?<off>\d+))?$")]
    private static partial Regex FormatPattern();

    [GeneratedRegex(@"^(?<g>[0-9.eE+-]+)(\((?<b>-?\d+)\))?(/(?<u>\S+))?$")]
    private static partial Regex GainPattern();

    [GeneratedRegex(@"^\[?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\]?$")]
    private static partial Regex BaseTimePattern();

    [GeneratedRegex(@"^\d{1,2}/\d{1,2}/\d{4}\]?$")]
    private static partial Regex BaseDatePattern();
}
