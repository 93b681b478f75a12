using System.Globalization;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Fuzz;

/// <summary>
/// The annotation reader and writer as fuzz targets. <see cref="Read"/> feeds file bytes to the reader twice
/// (strictly and keeping going through a cut) and writes back what it read; <see cref="WriteThenRead"/> builds an
/// annotation list from the input, writes it in the layout the input picks and reads it back.
/// </summary>
internal static class AnnotationTargets
{
    private static readonly AnnotationReadOptions KeepGoing = new() { KeepGoingWhenTruncated = true };
    private static readonly double[] Resolutions = [128, 250, 360, 500, 1000, 62.5, 257, 1e6];
    private static readonly AnnotationCode[] Codes =
        [.. Enumerable.Range(0, AnnotationCodes.MaxDefined + 1).Where(AnnotationCodes.IsDefined).Select(c => (AnnotationCode)c)];

    /// <summary>
    /// The strict read and the keep-going read must agree wherever the file is whole; what was read must survive
    /// being written back (when the writer can hold it) and read again.
    /// </summary>
    public static void Read(byte[] input, ByteMeter meter)
    {
        meter.Add(input.Length);
        var kept = Attempt(() => AnnotationReader.DecodeFile(input, "fuzz", "fuzz.atr", KeepGoing));
        var strict = Attempt(() => AnnotationReader.DecodeFile(input, "fuzz", "fuzz.atr"));
        if (strict.File is { } whole)
        {
            if (kept.File is not { Truncated: false } same || !same.Annotations.SequenceEqual(whole.Annotations))
                throw new ReadsDisagreeException($"strict read accepted {whole.Annotations.Count} annotations; keeping going: {Describe(kept)}");
        }
        else if (kept.File is { Truncated: false })
        {
            throw new ReadsDisagreeException($"keeping going read a whole file the strict read refused: {strict.Error!.Message}");
        }
        if (kept.File is not { } file) throw kept.Error!;
        foreach (var warning in file.Warnings) _ = warning.Length;
        WriteBack(file);
    }

    /// <summary>
    /// Input: a layout byte (bit 0 the time-resolution preamble, bit 1 no end word, bits 2..4 the resolution),
    /// then annotations of 5 bytes each (code, a signed 24-bit step from the previous time, a field selector)
    /// followed by the bytes the selector asks for.
    /// </summary>
    public static void WriteThenRead(byte[] input, ByteMeter meter)
    {
        meter.Add(input.Length);
        if (input.Length == 0) return;
        var layout = input[0];
        var options = new AnnotationWriteOptions
        {
            TimeResolution = (layout & 1) != 0 ? Resolutions[layout >> 2 & 7] : null,
            EndWord = (layout & 2) == 0,
        };
        var annotations = Parse(input[1..]);
        var bytes = WfdbWriter.EncodeAnnotations(annotations, "fuzz", "fuzz.atr", options);
        meter.Add(bytes.Length);
        if (!options.EndWord && Attempt(() => AnnotationReader.DecodeFile(bytes, "fuzz", "fuzz.atr")).File is not null)
            throw new RoundTripMismatchException("a file written without its end word was read as whole");
        var read = AnnotationReader.DecodeFile(bytes, "fuzz", "fuzz.atr", options.EndWord ? null : KeepGoing);
        Check(annotations, options.TimeResolution, read);
    }

    private static List<Annotation> Parse(byte[] input)
    {
        var result = new List<Annotation>();
        long time = 0;
        var at = 0;
        while (input.Length - at >= 5 && result.Count < 512)
        {
            var code = Codes[input[at] % Codes.Length];
            time = Math.Max(0, time + ((sbyte)input[at + 1] << 16 | input[at + 2] << 8 | input[at + 3]));
            var selector = input[at + 4];
            at += 5;
            int Next() => at < input.Length ? input[at++] : 0;
            var sub = (selector & 1) != 0 ? (sbyte)Next() : 0;
            var channel = (selector & 2) != 0 ? Next() : 0;
            var number = (selector & 4) != 0 ? (sbyte)Next() : 0;
            string? aux = null;
            if ((selector & 8) != 0)
            {
                var length = Math.Min(Next(), input.Length - at);
                aux = new string([.. input.Skip(at).Take(length).Select(b => (char)b)]);
                at += length;
            }
            result.Add(new Annotation(time, code, sub, channel, number, aux));
        }
        return result;
    }

    /// <summary>Writes what the reader returned and reads it again; the writer may refuse what the format allows it not to hold.</summary>
    private static void WriteBack(AnnotationFile file)
    {
        byte[] bytes;
        try
        {
            bytes = WfdbWriter.EncodeAnnotations(file.Annotations, "fuzz", "fuzz.atr", new AnnotationWriteOptions { TimeResolution = file.TimeResolution });
        }
        catch (WfdbFormatException)
        {
            return; // e.g. an AUX string over 254 bytes, a NUL inside one, a NOTQRS at sample 0
        }
        Check(file.Annotations, file.TimeResolution, AnnotationReader.DecodeFile(bytes, "fuzz", "fuzz.atr"));
    }

    private static void Check(IReadOnlyList<Annotation> written, double? resolution, AnnotationFile read)
    {
        // The preamble states the resolution with 12 significant digits, as the WFDB library prints it.
        var stated = resolution is { } r ? double.Parse(r.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : (double?)null;
        if (!read.Annotations.SequenceEqual(written) || read.TimeResolution != stated)
        {
            var first = Enumerable.Range(0, Math.Min(written.Count, read.Annotations.Count)).FirstOrDefault(i => written[i] != read.Annotations[i], -1);
            throw new RoundTripMismatchException(
                $"wrote {written.Count} annotations (resolution {resolution}), read {read.Annotations.Count} (resolution {read.TimeResolution}); " +
                $"first difference at {first}: {(first >= 0 ? $"{written[first]} / {read.Annotations[first]}" : "lengths")}");
        }
    }

    private static (AnnotationFile? File, WfdbFormatException? Error) Attempt(Func<AnnotationFile> read)
    {
        try
        {
            return (read(), null);
        }
        catch (WfdbFormatException e)
        {
            return (null, e);
        }
    }

    private static string Describe((AnnotationFile? File, WfdbFormatException? Error) read) =>
        read.File is { } f ? $"{f.Annotations.Count} annotations, truncated {f.Truncated}" : read.Error!.Message;
}

/// <summary>What the writer wrote did not read back the same: a bug, reported as a crash.</summary>
internal sealed class RoundTripMismatchException(string message) : Exception(message);
