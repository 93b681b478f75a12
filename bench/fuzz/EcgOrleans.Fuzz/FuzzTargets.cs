using System.Text;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Fuzz;

/// <summary>Counts the bytes a reader was handed, so that what it allocates can be judged against them.</summary>
internal sealed class ByteMeter
{
    public long Bytes { get; private set; }

    public void Add(long bytes) => Bytes += bytes;
}

/// <summary>One reader under test. <see cref="Run"/> feeds it an input; a <see cref="WfdbFormatException"/> is a rejection, anything else a bug.</summary>
internal sealed record FuzzTarget(string Name, string Input, Action<byte[], ByteMeter> Run);

/// <summary>The WFDB readers (and the annotation writer), as fuzz targets.</summary>
internal static class FuzzTargets
{
    /// <summary>Frames per <see cref="WfdbRecordReader.ReadFrames"/> call of the chunked read: odd, so no group of any format lines up with it.</summary>
    private const int ChunkFrames = 7;

    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new[]
    {
        new FuzzTarget("header", "the text of a .hea file (Latin-1)", Header),
        new FuzzTarget("signal", "a header, one NUL byte, then the bytes every signal file of the header reads", Signal),
        new FuzzTarget("annotation", "the bytes of an MIT-format annotation file", AnnotationTargets.Read),
        new FuzzTarget("annotation-write", "a layout byte, then annotations of 5 bytes (code, signed 24-bit step, field selector) and their fields", AnnotationTargets.WriteThenRead),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    private static void Header(byte[] input, ByteMeter meter)
    {
        meter.Add(input.Length);
        var text = Encoding.Latin1.GetString(input);
        var header = HeaderParser.Parse(StatedRecordName(text), text);
        _ = header.IndexOf("MLII");
        foreach (var spec in header.Signals) _ = spec.ToPhysical(spec.InvalidSample) + spec.ToPhysical(spec.Baseline);
    }

    /// <summary>
    /// Parses the header part, then reads the record twice, whole and in chunks of <see cref="ChunkFrames"/>
    /// frames: the chunk size must change neither whether the record is accepted nor the samples it yields.
    /// (Which fault is named first may differ when an input holds several: a chunked read meets a wrong
    /// initial value before the stray bytes at the end that a whole read decodes first.)
    /// </summary>
    private static void Signal(byte[] input, ByteMeter meter)
    {
        var split = Array.IndexOf(input, (byte)0);
        var headerBytes = split < 0 ? input : input[..split];
        var data = split < 0 ? [] : input[(split + 1)..];
        meter.Add(headerBytes.Length);
        var text = Encoding.Latin1.GetString(headerBytes);
        var header = HeaderParser.Parse(StatedRecordName(text), text);

        Stream OpenSignalFile(string name)
        {
            meter.Add(data.Length);
            return new MemoryStream(data, writable: false);
        }

        var whole = Attempt(() =>
        {
            using var reader = WfdbRecordReader.Open(header, OpenSignalFile);
            return reader.ReadToEnd();
        });
        var chunked = Attempt(() => ReadInChunks(WfdbRecordReader.Open(header, OpenSignalFile)));
        Compare(whole, chunked);
        if (whole.Error is not null) throw whole.Error;
    }

    private static int[][] ReadInChunks(WfdbRecordReader reader)
    {
        using (reader)
        {
            var signals = reader.Header.SignalCount;
            var samples = Enumerable.Range(0, signals).Select(_ => new List<int>()).ToArray();
            var buffer = new int[signals * ChunkFrames];
            int frames;
            while ((frames = reader.ReadFrames(buffer)) > 0)
            {
                for (var f = 0; f < frames; f++)
                {
                    for (var s = 0; s < signals; s++) samples[s].Add(buffer[f * signals + s]);
                }
            }
            return [.. samples.Select(list => list.ToArray())];
        }
    }

    private static (int[][]? Samples, WfdbFormatException? Error) Attempt(Func<int[][]> read)
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

    private static void Compare((int[][]? Samples, WfdbFormatException? Error) whole, (int[][]? Samples, WfdbFormatException? Error) chunked)
    {
        if (whole.Error is not null || chunked.Error is not null)
        {
            if (whole.Error is null || chunked.Error is null)
                throw new ReadsDisagreeException($"whole read: {Describe(whole.Error)}; chunked read: {Describe(chunked.Error)}");
            return;
        }
        var (a, b) = (whole.Samples!, chunked.Samples!);
        if (a.Length != b.Length || a.Zip(b).Any(pair => !pair.First.AsSpan().SequenceEqual(pair.Second)))
            throw new ReadsDisagreeException(
                $"whole read: {a.Length} signals of {a.FirstOrDefault()?.Length} samples; chunked read: {b.Length} signals of {b.FirstOrDefault()?.Length} samples, or different values");
    }

    private static string Describe(WfdbFormatException? error) => error is null ? "accepted" : error.Message;

    /// <summary>
    /// The name the record line states (its first field), so that a mutated name still reaches the rest
    /// of the parser instead of stopping at the name check.
    /// </summary>
    private static string StatedRecordName(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            return line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
        }
        return "fuzz";
    }
}

/// <summary>The whole and the chunked read of one record gave different results: a bug, reported as a crash.</summary>
internal sealed class ReadsDisagreeException(string message) : Exception(message);
