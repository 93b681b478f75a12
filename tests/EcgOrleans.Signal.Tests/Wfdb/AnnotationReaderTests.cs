using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Tests.Wfdb;

public sealed class AnnotationReaderTests
{
    private static ushort Word(int code, int data) => (ushort)(code << 10 | data);

    private static byte[] Bytes(params object[] items)
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

    private static List<Annotation> Decode(byte[] bytes) => AnnotationReader.Decode(bytes, "r", "r.atr");

    [Fact]
    public void Time_increments_accumulate_and_the_zero_word_ends_the_file()
    {
        var annotations = Decode(Bytes(Word(1, 18), Word(5, 100), Word(28, 1), (ushort)0, Word(1, 5)));

        Assert.Equal([(18L, AnnotationCode.Normal), (118L, AnnotationCode.Pvc), (119L, AnnotationCode.Rhythm)],
            annotations.Select(a => (a.Sample, a.Code)));
    }

    [Fact]
    public void SKIP_adds_a_PDP11_ordered_32_bit_interval_before_the_next_annotation()
    {
        // interval 0x0001_0002 = 65538: high word first.
        var annotations = Decode(Bytes(Word(1, 10), Word(59, 0), (ushort)0x0001, (ushort)0x0002, Word(1, 3), (ushort)0));

        Assert.Equal([10L, 10 + 65538 + 3], annotations.Select(a => a.Sample));
    }

    [Fact]
    public void SUB_applies_to_one_annotation_while_CHN_and_NUM_persist()
    {
        var annotations = Decode(Bytes(
            Word(1, 1), Word(61, 3), Word(62, 1), Word(60, 7),
            Word(1, 1), Word(61, 255),
            Word(1, 1), Word(62, 0),
            (ushort)0));

        Assert.Equal([(3, 1, 7), (-1, 1, 7), (0, 0, 7)], annotations.Select(a => (a.SubType, a.Channel, a.Number)));
    }

    [Fact]
    public void AUX_strings_of_odd_length_are_padded_to_a_whole_word()
    {
        var annotations = Decode(Bytes(
            Word(28, 5), Word(63, 5), "(AFIB"u8.ToArray(), new byte[] { 0 },
            Word(28, 5), Word(63, 2), "(N"u8.ToArray(),
            Word(1, 5),
            (ushort)0));

        Assert.Equal(["(AFIB", "(N", null], annotations.Select(a => a.Aux));
        Assert.Equal([5L, 10, 15], annotations.Select(a => a.Sample));
    }

    [Fact]
    public void A_file_without_the_end_word_is_an_error_naming_the_file_and_where_it_stops()
    {
        var error = Assert.Throws<WfdbFormatException>(() => Decode(Bytes(Word(1, 1), Word(5, 9))));

        Assert.Equal(("r.atr", "end word"), (error.File, error.Field));
        Assert.Contains("at byte 4", error.Problem);
        Assert.Contains("cut short", error.Problem);
    }

    [Fact]
    public void Keeping_going_through_a_file_without_the_end_word_returns_its_annotations_with_a_warning()
    {
        var read = AnnotationReader.DecodeFile(Bytes(Word(1, 1), Word(5, 9)), "r", "r.atr", new() { KeepGoingWhenTruncated = true });

        Assert.Equal([(1L, AnnotationCode.Normal), (10L, AnnotationCode.Pvc)], read.Annotations.Select(a => (a.Sample, a.Code)));
        Assert.True(read.Truncated);
        var warning = Assert.Single(read.Warnings);
        Assert.Contains("r.atr", warning);
        Assert.Contains("without the end word", warning);
        Assert.Contains("2 annotation(s) before it are kept", warning);
    }

    [Theory]
    [InlineData(new byte[] { 1, 4, 7 }, "length")]                       // odd byte count
    [InlineData(new byte[] { 0x01, 45 << 2 }, "annotation code")]         // code 45 is unassigned
    [InlineData(new byte[] { 0x01, 15 << 2 }, "annotation code")]         // code 15 is unassigned
    [InlineData(new byte[] { 0x00, 59 << 2, 1, 0 }, "SKIP")]              // SKIP cut short
    [InlineData(new byte[] { 0x00, 59 << 2, 0xFF, 0xFF, 0xFE, 0xFF, 1, 4, 0, 0 }, "SKIP")] // back to -2, then N at -1
    [InlineData(new byte[] { 0x01, 0x04, 0x00, 59 << 2, 0xFF, 0xFF, 0xFD, 0xFF, 1, 4, 0, 0 }, "SKIP")] // N at 1, back 3, N at -1
    [InlineData(new byte[] { 0x01, 0x04, 0x09, 63 << 2, 0x41, 0x42 }, "AUX")] // AUX longer than the file
    [InlineData(new byte[] { 0x03, 61 << 2, 0, 0 }, "SUB")]               // SUB with nothing before it
    [InlineData(new byte[] { 0x01, 0x04 }, "end word")]                   // cut after a whole word
    [InlineData(new byte[] { 0x05, 59 << 2, 0, 0, 0, 0 }, "SKIP")]        // SKIP with a non-zero data field
    public void Garbage_bytes_are_refused_with_the_offending_field(byte[] bytes, string field)
    {
        var error = Assert.Throws<WfdbFormatException>(() => Decode(bytes));

        Assert.Equal(field, error.Field);
        Assert.Equal("r.atr", error.File);
    }

    [Fact]
    public void Random_garbage_either_decodes_or_fails_with_the_reader_error()
    {
        var random = new Random(7);
        var keepGoing = new AnnotationReadOptions { KeepGoingWhenTruncated = true };
        for (var trial = 0; trial < 2000; trial++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            try
            {
                var read = AnnotationReader.DecodeFile(bytes, "r", "r.atr", keepGoing);
                Assert.All(read.Annotations, a => Assert.True(a.Sample >= 0));
                // Whatever keeps going through a cut reads the same without the option once the cut is mended.
                if (!read.Truncated) Assert.Equal(read.Annotations, Decode(bytes));
            }
            catch (WfdbFormatException e)
            {
                Assert.Equal("r.atr", e.File);
                Assert.Throws<WfdbFormatException>(() => Decode(bytes));
            }
        }
    }

    [Fact]
    public void The_code_table_has_PhysioNet_mnemonics_and_beat_codes()
    {
        Assert.Equal("N", AnnotationCodes.Mnemonic(AnnotationCode.Normal));
        Assert.Equal("/", AnnotationCodes.Mnemonic(AnnotationCode.Paced));
        Assert.Equal("+", AnnotationCodes.Mnemonic(AnnotationCode.Rhythm));
        Assert.Equal("r", AnnotationCodes.Mnemonic(AnnotationCode.ROnT));
        Assert.True(AnnotationCodes.TryParse("f", out var code) && code == AnnotationCode.PacedFusion);
        Assert.False(AnnotationCodes.IsDefined(15));
        Assert.False(AnnotationCodes.IsDefined(42));
        Assert.True(AnnotationCodes.IsBeat(AnnotationCode.Pvc));
        Assert.False(AnnotationCodes.IsBeat(AnnotationCode.Rhythm));
        Assert.False(AnnotationCodes.IsBeat(AnnotationCode.FlutterWave));
        Assert.Equal(18, Enumerable.Range(0, 42).Count(c => AnnotationCodes.IsDefined(c) && AnnotationCodes.IsBeat((AnnotationCode)c)));
    }
}
