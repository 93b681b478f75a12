using System.Text;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.Signal.Tests.Wfdb;

/// <summary>
/// Inputs on which afl-fuzz (bench/fuzz) or the review that went with it made a WFDB reader drop samples
/// silently, disagree with itself, throw something other than its own error, or allocate hundreds of
/// megabytes for a few kilobytes. Signal inputs have the harness's form: the header text, one NUL byte,
/// then the bytes that every signal file of the header reads.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly string Folder =
        Path.Combine(TestData.RepositoryRoot, "tests", "EcgOrleans.Signal.Tests", "Wfdb", "fuzz-regressions");

    // afl-fuzz, first minute on the signal reader: without a sample count, a whole read stopped at the shortest
    // signal file and dropped what the others still held; a chunked read of the same bytes rejected them.
    [Theory]
    [InlineData("uneven-files-8-and-310.bin", "100.dat")]
    [InlineData("uneven-files-8-and-212.bin", "100.dat")]
    [InlineData("uneven-files-61-and-212.bin", "11e0")]
    public void Signal_files_of_different_lengths_are_rejected_whole_and_in_chunks(string input, string longerFile)
    {
        var (header, data) = Split(File.ReadAllBytes(Path.Combine(Folder, input)));

        var whole = Assert.Throws<WfdbFormatException>(() => ReadWhole(header, data));
        var chunked = Assert.Throws<WfdbFormatException>(() => ReadInChunks(header, data, frames: 7));

        Assert.Equal((longerFile, "number of samples"), (whole.File, whole.Field));
        Assert.Contains("holds more than", whole.Problem);
        Assert.Equal((whole.File, whole.Field), (chunked.File, chunked.Field));
    }

    // The same fault reduced by hand. a.dat holds 3 samples; b.dat's 6 bytes decode to 4 (two 212 groups),
    // all of them at once, so no byte is left over and only the spare decoded sample shows the difference.
    [Theory]
    [InlineData("a.dat 16\nb.dat 212\n", new byte[] { 1, 0, 2, 0, 3, 0 }, 3)]
    [InlineData("a.dat 16\nb.dat 8\n", new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 }, 4)]
    public void A_longer_second_file_is_named(string signalLines, byte[] data, int framesRead)
    {
        var header = "100 2 360\n" + signalLines;

        var error = Assert.Throws<WfdbFormatException>(() => ReadWhole(header, data));

        Assert.Equal(("b.dat", "number of samples"), (error.File, error.Field));
        Assert.Contains($"holds more than the {framesRead} frames", error.Problem);
    }

    [Fact]
    public void Files_of_equal_length_still_read_without_a_sample_count()
    {
        var samples = ReadWhole("100 2 360\na.dat 16\nb.dat 16\n", [1, 0, 2, 0, 3, 0]);

        Assert.Equal([[1, 2, 3], [1, 2, 3]], samples);
    }

    // Review of the signal path: the header's sample count times the signals and bytes per sample overflowed a
    // long and wrapped to the file's length (0 here), so the header passed and ReadToEnd asked for an
    // int[2^62] (OverflowException).
    [Theory]
    [InlineData("100 1 360 4611686018427387904\n100.dat 32\n")]
    [InlineData("100 2 360 2305843009213693952\n100.dat 32\n100.dat 32\n")]
    [InlineData("100 1 360 9223372036854775807\n100.dat 212\n")]
    public void A_sample_count_beyond_any_file_is_a_format_error(string header)
    {
        var error = Assert.Throws<WfdbFormatException>(() => ReadWhole(header, []));

        Assert.Equal(("100.dat", "number of samples"), (error.File, error.Field));
    }

    [Fact]
    public void Bytes_for_a_count_past_a_long_overflow_instead_of_wrapping()
    {
        Assert.Throws<OverflowException>(() => SignalFormats.BytesFor(32, 1L << 62));
        Assert.Throws<OverflowException>(() => SignalFormats.BytesFor(212, long.MaxValue));
    }

    // Review of the signal path with the harness's allocation budget: a 36 KB header of 4096 signals, each in a
    // file of its own, made the reader allocate 820 MB (a 64 KiB read buffer and a 16 KiB sample buffer per file,
    // and a ReadToEnd buffer of 8192 frames of every signal); 4096 signals in one file cost 276 MB.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_header_of_4096_signals_reads_in_bounded_memory(bool fileForEachSignal)
    {
        const int signals = 4096;
        var header = new StringBuilder($"fuzz {signals} 360\n");
        for (var s = 0; s < signals; s++) header.Append(fileForEachSignal ? $"f{s}.dat 16\n" : "f.dat 16\n");
        byte[] data = fileForEachSignal ? [7, 0] : [.. Enumerable.Repeat<byte[]>([7, 0], signals).SelectMany(b => b)];

        var before = GC.GetAllocatedBytesForCurrentThread();
        var samples = ReadWhole(header.ToString(), data);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(signals, samples.Length);
        Assert.All(samples, signal => Assert.Equal([7], signal));
        Assert.True(allocated < 32 << 20, $"reading 4096 one-sample signals allocated {allocated:N0} bytes");
    }

    private static (string Header, byte[] Data) Split(byte[] input)
    {
        var nul = Array.IndexOf(input, (byte)0);
        return (Encoding.Latin1.GetString(input, 0, nul), input[(nul + 1)..]);
    }

    private static RecordHeader Parse(string text) =>
        HeaderParser.Parse(text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0], text);

    private static int[][] ReadWhole(string header, byte[] data)
    {
        using var reader = WfdbRecordReader.Open(Parse(header), _ => new MemoryStream(data, writable: false));
        return reader.ReadToEnd();
    }

    private static int[][] ReadInChunks(string header, byte[] data, int frames)
    {
        using var reader = WfdbRecordReader.Open(Parse(header), _ => new MemoryStream(data, writable: false));
        var signals = reader.Header.SignalCount;
        var samples = Enumerable.Range(0, signals).Select(_ => new List<int>()).ToArray();
        var buffer = new int[signals * frames];
        int read;
        while ((read = reader.ReadFrames(buffer)) > 0)
        {
            for (var f = 0; f < read; f++)
            {
                for (var s = 0; s < signals; s++) samples[s].Add(buffer[f * signals + s]);
            }
        }
        return [.. samples.Select(list => list.ToArray())];
    }
}
