using System.Text;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.Signal.Tests.Wfdb;

/// <summary>
/// The annotation-file variants of other databases and tools, written by <see cref="WfdbWriter"/> and by hand:
/// WFDB's time-resolution preamble, SKIP back, files cut short, annotations past the end of the signal.
/// </summary>
public sealed class AnnotationFileTests : IDisposable
{
    private readonly string _folder = TestData.NewTempDirectory("annfile");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly AnnotationReadOptions KeepGoing = new() { KeepGoingWhenTruncated = true };

    /// <summary>The preamble as the WFDB library's putann (and wfdb-python's wrann) writes it for 128 ticks/s.</summary>
    private static byte[] WfdbPreamble128()
    {
        var text = "## time resolution: 128"u8.ToArray(); // 23 bytes: padded to 24
        return Bytes(Word(22, 0), Word(63, text.Length), text, new byte[] { 0 },
            Word(59, 0), (ushort)0xFFFF, (ushort)0xFFFF, // SKIP -1: back to time -1
            Word(0, 1));                                  // a null annotation at time 0 closes the preamble
    }

    [Fact]
    public void The_WFDB_time_resolution_preamble_is_read_as_the_files_resolution_not_as_annotations()
    {
        var bytes = Bytes(WfdbPreamble128(), Word(1, 5), Word(28, 0), Word(63, 2), "(N"u8.ToArray(), Word(5, 100), (ushort)0);

        var read = AnnotationReader.DecodeFile(bytes, "s", "s.atr");

        Assert.Equal(128, read.TimeResolution);
        Assert.Equal([new Annotation(5, AnnotationCode.Normal, 0, 0, 0, null), new Annotation(5, AnnotationCode.Rhythm, 0, 0, 0, "(N"),
            new Annotation(105, AnnotationCode.Pvc, 0, 0, 0, null)], read.Annotations);
        Assert.Empty(read.Definitions);
        Assert.Empty(read.Warnings);
    }

    [Fact]
    public void The_writer_lays_out_the_preamble_byte_for_byte_as_the_WFDB_library_does()
    {
        List<Annotation> annotations = [new(5, AnnotationCode.Normal, 0, 0, 0, null)];

        var bytes = WfdbWriter.EncodeAnnotations(annotations, "s", "s.atr", new AnnotationWriteOptions { TimeResolution = 128 });

        Assert.Equal(Bytes(WfdbPreamble128(), Word(1, 5), (ushort)0), bytes);
    }

    [Fact]
    public void An_annotation_type_table_after_the_preamble_is_kept_as_definitions()
    {
        byte[] Note(string text) => Bytes(Word(22, 0), Word(63, text.Length), Encoding.Latin1.GetBytes(text), new byte[text.Length % 2]);
        var bytes = Bytes(Note("## time resolution: 360.5"), Note("## annotation type definitions"), Note("42 X custom beat"),
            Note("## end of definitions"), Word(59, 0), (ushort)0xFFFF, (ushort)0xFFFF, Word(0, 1), Word(22, 0), Word(63, 4), "keep"u8.ToArray(), (ushort)0);

        var read = AnnotationReader.DecodeFile(bytes, "t", "t.atr");

        Assert.Equal(360.5, read.TimeResolution);
        Assert.Equal(["## annotation type definitions", "42 X custom beat", "## end of definitions"], read.Definitions);
        Assert.Equal([new Annotation(0, AnnotationCode.Note, 0, 0, 0, "keep")], read.Annotations); // a plain note at 0 stays
    }

    [Fact]
    public void A_record_with_the_preamble_and_a_SKIP_back_reads_exactly()
    {
        // Two channels annotated in turn: the second channel's first beat lies before the first channel's last.
        List<Annotation> annotations =
        [
            new(0, AnnotationCode.Rhythm, 0, 0, 0, "(N"),
            new(40, AnnotationCode.Normal, 0, 0, 0, null),
            new(5000, AnnotationCode.Normal, 0, 0, 0, null),
            new(38, AnnotationCode.Normal, 0, 1, 0, null),
            new(4990, AnnotationCode.Pvc, 0, 1, 0, null),
        ];
        var record = Record("svlike", 128, 6000, annotations);
        WfdbWriter.WriteSignals(_folder, record.Header, record.Digital);
        WfdbWriter.WriteAnnotations(_folder, "svlike", annotations, options: new AnnotationWriteOptions { TimeResolution = 128 });
        var words = Words(File.ReadAllBytes(Path.Combine(_folder, "svlike.atr")));
        Assert.Contains(words.Select((w, i) => (w, i)), p => p.w == 59 << 10 && words[p.i + 1] == 0xFFFF && words[p.i + 2] == unchecked((ushort)-4962));

        var read = WfdbRecord.Read(_folder, "svlike");

        Assert.Equal(annotations, read.Annotations);
        Assert.Equal(128, read.AnnotationFile!.TimeResolution);
        Assert.Empty(read.AnnotationFile.Warnings);
        Assert.Null(read.AnnotationsPastEnd);
    }

    [Fact]
    public void Times_in_a_finer_resolution_than_the_signal_are_read_as_samples_as_WFDB_rounds_them()
    {
        List<Annotation> ticks = [new(0, AnnotationCode.Normal, 0, 0, 0, null), new(1001, AnnotationCode.Normal, 0, 0, 0, null),
            new(1002, AnnotationCode.Normal, 0, 0, 0, null), new(4_000_003, AnnotationCode.Pvc, 0, 0, 0, null)];
        var bytes = WfdbWriter.EncodeAnnotations(ticks, "fine", "fine.atr", new AnnotationWriteOptions { TimeResolution = 1000 });

        var raw = AnnotationReader.DecodeFile(bytes, "fine", "fine.atr");
        var samples = AnnotationReader.DecodeFile(bytes, "fine", "fine.atr", new() { SamplingFrequency = 250 });

        Assert.Equal(ticks, raw.Annotations);
        // 250 samples per 1000 ticks: t / 4, halves rounded up (1002 / 4 = 250.5 -> 251).
        Assert.Equal([0L, 250, 251, 1_000_001], samples.Annotations.Select(a => a.Sample));
    }

    [Fact]
    public void A_cut_annotation_file_is_an_error_naming_it_unless_the_caller_keeps_going()
    {
        List<Annotation> annotations = [new(10, AnnotationCode.Normal, 0, 0, 0, null), new(20, AnnotationCode.Normal, 0, 0, 0, null)];
        var record = Record("cut", 360, 100, annotations);
        WfdbWriter.WriteSignals(_folder, record.Header, record.Digital);
        WfdbWriter.WriteAnnotations(_folder, "cut", annotations, options: new AnnotationWriteOptions { EndWord = false });

        var error = Assert.Throws<WfdbFormatException>(() => WfdbRecord.Read(_folder, "cut"));
        Assert.Equal(("cut", "cut.atr", "end word"), (error.Record, error.File, error.Field));
        Assert.Contains("cut.atr", error.Message);

        var kept = WfdbRecord.Read(_folder, "cut", annotationOptions: KeepGoing);
        Assert.Equal(annotations, kept.Annotations);
        Assert.True(kept.AnnotationFile!.Truncated);
        Assert.Contains(kept.AnnotationFile.Warnings, w => w.Contains("cut.atr") && w.Contains("end word"));
    }

    [Fact]
    public void Keeping_going_drops_an_annotation_whose_AUX_string_is_cut_and_keeps_one_whose_SKIP_is_cut()
    {
        var whole = WfdbWriter.EncodeAnnotations([new(10, AnnotationCode.Normal, 0, 0, 0, null), new(11, AnnotationCode.Rhythm, 0, 0, 0, "(AFIB")]);
        var cutInAux = whole[..10]; // N, +, AUX word, 4 of its 6 bytes

        var auxCut = AnnotationReader.DecodeFile(cutInAux, "a", "a.atr", KeepGoing);
        Assert.Equal([new Annotation(10, AnnotationCode.Normal, 0, 0, 0, null)], auxCut.Annotations);
        Assert.Contains("AUX string of 6 bytes runs past the end", Assert.Single(auxCut.Warnings));
        Assert.Equal("AUX", Assert.Throws<WfdbFormatException>(() => AnnotationReader.Decode(cutInAux, "a", "a.atr")).Field);

        var skipCut = Bytes(Word(1, 10), Word(59, 0), (ushort)1);
        Assert.Equal([10L], AnnotationReader.DecodeFile(skipCut, "a", "a.atr", KeepGoing).Annotations.Select(a => a.Sample));
        Assert.Equal("SKIP", Assert.Throws<WfdbFormatException>(() => AnnotationReader.Decode(skipCut, "a", "a.atr")).Field);
    }

    [Fact]
    public void Annotations_past_the_end_of_the_signal_are_kept_and_reported_with_the_first_of_them()
    {
        List<Annotation> annotations = [new(10, AnnotationCode.Normal, 0, 0, 0, null), new(99, AnnotationCode.Normal, 0, 0, 0, null),
            new(140, AnnotationCode.Normal, 0, 0, 0, null), new(100, AnnotationCode.Pvc, 0, 1, 0, null)];
        var record = Record("over", 360, 100, annotations);
        WfdbWriter.Write(_folder, record);

        var read = WfdbRecord.Read(_folder, "over");

        Assert.Equal(annotations, read.Annotations);
        var expected = new AnnotationOverrun(2, 100, 100);
        Assert.Equal(expected, read.AnnotationsPastEnd);
        Assert.Equal(expected, read.AnnotationFile!.PastEnd);
        Assert.Contains(read.AnnotationFile.Warnings, w => w.Contains("over.atr") && w.Contains("first at sample 100"));
    }

    [Fact]
    public void A_record_without_signals_measures_past_the_end_by_its_headers_sample_count()
    {
        var header = new RecordHeader("bare", 360, 360, 0, 1000, null, null, [], []);
        List<Annotation> annotations = [new(500, AnnotationCode.Normal, 0, 0, 0, null), new(1500, AnnotationCode.Normal, 0, 0, 0, null)];

        Assert.Equal(new AnnotationOverrun(1, 1500, 1000), new WfdbRecord(header, [], annotations).AnnotationsPastEnd);
        Assert.Null(new WfdbRecord(header with { SampleCount = null }, [], annotations).AnnotationsPastEnd);
    }

    [Fact]
    public void A_time_resolution_that_is_not_a_positive_number_is_an_error()
    {
        var text = "## time resolution: fast"u8.ToArray();
        var bytes = Bytes(Word(22, 0), Word(63, text.Length), text, Word(1, 4), (ushort)0);

        var error = Assert.Throws<WfdbFormatException>(() => AnnotationReader.Decode(bytes, "b", "b.atr"));

        Assert.Equal(("b.atr", "time resolution"), (error.File, error.Field));
        Assert.Contains("fast", error.Problem);
    }

    [Fact]
    public void The_writer_refuses_a_first_note_that_would_read_back_as_a_definition()
    {
        List<Annotation> annotations = [new(0, AnnotationCode.Note, 0, 0, 0, "## not a definition")];

        var error = Assert.Throws<WfdbFormatException>(() => WfdbWriter.EncodeAnnotations(annotations, "w", "w.atr"));

        Assert.Equal("annotation 0 (0 \") aux", error.Field);
    }

    [Fact]
    public void Keeping_going_ignores_a_stray_last_byte_with_a_warning()
    {
        var bytes = Bytes(Word(1, 3), (ushort)0, new byte[] { 7 });

        Assert.Equal("length", Assert.Throws<WfdbFormatException>(() => AnnotationReader.Decode(bytes, "o", "o.atr")).Field);
        var read = AnnotationReader.DecodeFile(bytes, "o", "o.atr", KeepGoing);
        Assert.Equal([3L], read.Annotations.Select(a => a.Sample));
        Assert.Contains("last byte is ignored", Assert.Single(read.Warnings));
    }

    internal static ushort Word(int code, int data) => (ushort)(code << 10 | data & 0x3FF);

    internal static byte[] Bytes(params object[] items)
    {
        var bytes = new List<byte>();
        foreach (var item in items)
        {
            switch (item)
            {
                case ushort w: bytes.Add((byte)w); bytes.Add((byte)(w >> 8)); break;
                case byte[] raw: bytes.AddRange(raw); break;
                default: throw new ArgumentException(item.ToString());
            }
        }
        return [.. bytes];
    }

    private static ushort[] Words(byte[] bytes) =>
        [.. Enumerable.Range(0, bytes.Length / 2).Select(i => (ushort)(bytes[2 * i] | bytes[2 * i + 1] << 8))];

    private static WfdbRecord Record(string name, double frequency, int samples, IReadOnlyList<Annotation> annotations)
    {
        var spec = new SignalSpec($"{name}.dat", 16, 1, 0, 0, 200, 0, "mV", 16, 0, null, null, 0, "ECG");
        int[][] digital = [[.. Enumerable.Range(0, samples).Select(i => i % 50)]];
        return new WfdbRecord(new RecordHeader(name, frequency, frequency, 0, samples, null, null, [spec], []), digital, annotations);
    }
}
