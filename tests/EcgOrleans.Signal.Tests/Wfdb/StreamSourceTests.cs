using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.Signal.Tests.Wfdb;

/// <summary><see cref="WfdbRecordReader.Open(RecordHeader, Func{string, Stream})"/>: a record whose signal files come from streams.</summary>
[Trait("Category", "Data")]
public sealed class StreamSourceTests
{
    private static readonly RecordHeader TwoSignals = HeaderParser.Parse("r", "r 2 360 3\nr.dat 16\nr.dat 16\n");

    [Fact]
    public void Record_100_from_memory_reads_as_it_does_from_its_folder()
    {
        var folder = TestData.MitBihDirectory;
        var header = WfdbRecordReader.ReadHeader(folder, "100");
        var bytes = File.ReadAllBytes(Path.Combine(folder, "100.dat"));
        string? opened = null;

        int[][] fromMemory;
        using (var reader = WfdbRecordReader.Open(header, name => { opened = name; return new MemoryStream(bytes, writable: false); }))
            fromMemory = reader.ReadToEnd();

        Assert.Equal("100.dat", opened);
        Assert.Equal(WfdbRecord.Read(folder, "100", annotator: null).Digital, fromMemory);
    }

    [Fact]
    public void A_file_the_source_cannot_open_is_a_format_error_naming_it()
    {
        var error = Assert.Throws<WfdbFormatException>(() => WfdbRecordReader.Open(TwoSignals, name => throw new FileNotFoundException("no such entry", name)));

        Assert.Equal(("r", "r.dat", "signal file"), (error.Record, error.File, error.Field));
        Assert.Contains("no such entry", error.Problem);
    }

    [Fact]
    public void The_reader_disposes_the_streams_it_opened()
    {
        var stream = new MemoryStream(new byte[12]);

        using (var reader = WfdbRecordReader.Open(TwoSignals, _ => stream))
            Assert.Equal(3, reader.ReadToEnd()[0].Length);

        Assert.False(stream.CanRead);
    }

    [Fact]
    public void A_stream_that_cannot_seek_is_refused()
    {
        var stream = new ForwardOnlyStream(new byte[12]);

        Assert.Throws<ArgumentException>(() => WfdbRecordReader.Open(TwoSignals, _ => stream));
        Assert.False(stream.CanRead);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
