using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TestData = EcgOrleans.Tests.TestData;

namespace EcgOrleans.Signal.Tests.Wfdb;

[Trait("Category", "Data")]
public sealed class WfdbWriterTests
{
    private static readonly AnnotationCode[] DefinedCodes =
        [.. Enumerable.Range(0, AnnotationCodes.MaxDefined + 1).Where(AnnotationCodes.IsDefined).Select(c => (AnnotationCode)c)];

    // ---- MIT-BIH, byte for byte: the writer lays files out as the WFDB library does ----

    [Theory]
    [InlineData("100")]
    [InlineData("105")] // SUB -1 (unreadable noise) and many AUX strings
    [InlineData("203")] // rhythm changes: AUX strings of odd and even length, SUB -1
    [InlineData("232")] // long pauses: SKIP intervals
    public void Re_encoding_a_MIT_BIH_record_reproduces_its_files_byte_for_byte(string name)
    {
        var directory = TestData.MitBihDirectory;
        var record = WfdbRecord.Read(directory, name);

        var annotations = WfdbWriter.EncodeAnnotations(record.Annotations, name, name + ".atr");
        Assert.Equal(File.ReadAllBytes(Path.Combine(directory, name + ".atr")), annotations);

        var signals = WfdbWriter.EncodeSignals(name, name + ".dat", 212, record.Digital);
        Assert.Equal(File.ReadAllBytes(Path.Combine(directory, name + ".dat")), signals);

        var header = WfdbWriter.FormatHeader(WfdbWriter.Complete(record.Header, record.Digital));
        Assert.Equal(File.ReadAllText(Path.Combine(directory, name + ".hea")).Replace("\r\n", "\n"), header);
    }

    [Fact]
    public void Every_MIT_BIH_annotation_file_re_encodes_to_the_same_annotations_and_almost_always_the_same_bytes()
    {
        var directory = TestData.MitBihDirectory;
        var differing = new List<string>();
        foreach (var name in DatasetSplits.All)
        {
            var original = File.ReadAllBytes(Path.Combine(directory, name + ".atr"));
            var annotations = AnnotationReader.Decode(original, name, name + ".atr");
            var encoded = WfdbWriter.EncodeAnnotations(annotations, name, name + ".atr");
            Assert.Equal(annotations, AnnotationReader.Decode(encoded, name, name + ".atr"));
            if (!encoded.AsSpan().SequenceEqual(original)) differing.Add(name);
        }
        // These five hold a few AUX strings without the terminating NUL the others carry ("(SVTA", "(N");
        // the reader drops NULs, so the writer, which always adds one, cannot tell them apart.
        Assert.Equal(["108", "201", "202", "217", "222"], differing);
    }

    [Fact]
    public void A_negative_subtype_written_by_the_WFDB_library_reads_back_as_minus_one()
    {
        // 105.atr holds SUB words with the data field 0x3FF: putann's encoding of subtyp = -1.
        var annotations = AnnotationReader.Read(TestData.MitBihDirectory, "105");
        Assert.Contains(annotations, a => a.SubType == -1);
        Assert.All(annotations, a => Assert.InRange(a.SubType, -128, 127));
    }

    // ---- round trips through the readers ----

    [Property(MaxTest = 60)]
    public Property Any_record_written_reads_back_identical() =>
        Prop.ForAll(Arb.From(RecordCases()), testCase =>
        {
            var directory = TestData.NewTempDirectory("wfdbw");
            try
            {
                var written = WfdbWriter.Write(directory, testCase.Record);
                var read = WfdbRecord.Read(directory, testCase.Record.Name);
                AssertSameHeader(written, read.Header);
                Assert.Equal(testCase.Record.Digital, read.Digital);
                Assert.Equal(testCase.Record.Annotations, read.Annotations);
                foreach (var spec in written.Signals)
                {
                    var signalsInFile = written.Signals.Count(s => s.FileName == spec.FileName);
                    Assert.Equal(SignalFormats.BytesFor(spec.Format, (long)testCase.Record.SampleCount * signalsInFile),
                        new FileInfo(Path.Combine(directory, spec.FileName)).Length);
                }
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        });

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 7)]
    [InlineData(3, 5)] // 15 interleaved samples: the file ends in a half group
    [InlineData(2, 1001)]
    public void Format_212_with_an_odd_number_of_samples_ends_in_two_bytes_and_reads_back(int signals, int frames)
    {
        var digital = Enumerable.Range(0, signals)
            .Select(s => Enumerable.Range(0, frames).Select(f => (f * 977 + s * 131) % 4096 - 2048).ToArray())
            .ToArray();
        var record = NewRecord("odd", 212, digital, []);
        var directory = TestData.NewTempDirectory("wfdbw");
        try
        {
            WfdbWriter.Write(directory, record);
            var total = signals * frames;
            Assert.Equal(total / 2 * 3 + (total % 2 == 1 ? 2 : 0), new FileInfo(Path.Combine(directory, "odd.dat")).Length);
            Assert.Equal(digital, WfdbRecord.Read(directory, "odd").Digital);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Every_annotation_code_survives_a_round_trip()
    {
        var annotations = DefinedCodes.Select((code, i) => new Annotation(10 + 3L * i, code, 0, 0, 0, null)).ToList();
        var decoded = AnnotationReader.Decode(WfdbWriter.EncodeAnnotations(annotations), "codes", "codes.atr");
        Assert.Equal(annotations, decoded);
        Assert.Equal(42 - 2, DefinedCodes.Length); // 15 and 17 are unassigned
    }

    [Fact]
    public void A_NOTQRS_annotation_is_written_as_a_SKIP_to_the_sample_before_so_it_is_not_read_as_the_end()
    {
        List<Annotation> annotations = [new(5, AnnotationCode.Normal, 0, 0, 0, null), new(5, AnnotationCode.NotQrs, 0, 0, 0, null), new(9, AnnotationCode.Pvc, 0, 0, 0, null)];
        var bytes = WfdbWriter.EncodeAnnotations(annotations);
        // N at 5; SKIP -1; code 0 with interval 1; V with interval 4; end.
        ushort[] expected = [1 << 10 | 5, 59 << 10, 0xFFFF, 0xFFFF, 0 << 10 | 1, 5 << 10 | 4, 0];
        Assert.Equal(expected, Words(bytes));
        Assert.Equal(annotations, AnnotationReader.Decode(bytes, "nq", "nq.atr"));
    }

    [Theory]
    [InlineData(1023L, false)]
    [InlineData(1024L, true)]
    [InlineData(650_000L, true)]
    [InlineData(int.MaxValue - 1L, true)]
    public void Intervals_beyond_1023_samples_are_written_as_SKIP_words(long gap, bool skipped)
    {
        List<Annotation> annotations = [new(1, AnnotationCode.Normal, 0, 0, 0, null), new(1 + gap, AnnotationCode.Normal, 0, 0, 0, null)];
        var bytes = WfdbWriter.EncodeAnnotations(annotations);
        Assert.Equal(skipped, Words(bytes).Any(w => w >> 10 == 59));
        Assert.Equal(annotations, AnnotationReader.Decode(bytes, "gap", "gap.atr"));
    }

    [Fact]
    public void An_annotation_before_the_previous_one_is_reached_with_a_negative_SKIP()
    {
        List<Annotation> annotations = [new(5000, AnnotationCode.Normal, 0, 0, 0, null), new(40, AnnotationCode.Rhythm, 0, 0, 0, "(N")];
        Assert.Equal(annotations, AnnotationReader.Decode(WfdbWriter.EncodeAnnotations(annotations), "back", "back.atr"));
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("(N", 3)]
    [InlineData("(AFIB", 6)]
    [InlineData("(NOD", 5)]
    public void AUX_strings_carry_a_terminating_NUL_and_are_padded_to_an_even_length(string aux, int length)
    {
        List<Annotation> annotations = [new(100, AnnotationCode.Rhythm, 0, 0, 0, aux)];
        var bytes = WfdbWriter.EncodeAnnotations(annotations);
        var words = Words(bytes);
        Assert.Equal(63 << 10 | length, words[1]);
        Assert.Equal(2 + 2 + length + length % 2 + 2, bytes.Length); // code word, AUX word, string and padding, end
        Assert.Equal(0, bytes[4 + aux.Length]);
        Assert.Equal(annotations, AnnotationReader.Decode(bytes, "aux", "aux.atr"));
    }

    [Fact]
    public void SUB_is_written_when_not_zero_and_CHN_and_NUM_only_when_they_change()
    {
        List<Annotation> annotations =
        [
            new(10, AnnotationCode.Noise, -1, 0, 0, null),
            new(20, AnnotationCode.Normal, 0, 1, 0, null),
            new(30, AnnotationCode.Normal, 0, 1, 0, null),
            new(40, AnnotationCode.Normal, 0, 1, -5, null),
            new(50, AnnotationCode.Normal, 0, 0, -5, null),
        ];
        var words = Words(WfdbWriter.EncodeAnnotations(annotations));
        ushort[] expected =
        [
            14 << 10 | 10, 61 << 10 | 0x3FF,
            1 << 10 | 10, 62 << 10 | 1,
            1 << 10 | 10,
            1 << 10 | 10, 60 << 10 | (-5 & 0x3FF),
            1 << 10 | 10, 62 << 10 | 0,
            0,
        ];
        Assert.Equal(expected, words);
        Assert.Equal(annotations, AnnotationReader.Decode(WfdbWriter.EncodeAnnotations(annotations), "fields", "fields.atr"));
    }

    [Fact]
    public void The_header_carries_the_checksum_and_initial_value_the_reader_verifies()
    {
        int[][] digital = [[30000, 30000, 30000, -1], [5, 6, 7, 8]]; // the first sum overflows 16 bits
        var header = WfdbWriter.Complete(NewRecord("sum", 16, digital, []).Header, digital);
        Assert.Equal(89999 - 65536, header.Signals[0].Checksum); // 30000 * 3 - 1, modulo 2^16, signed
        Assert.Equal(26, header.Signals[1].Checksum);
        Assert.Equal(30000, header.Signals[0].InitialValue);
        Assert.Equal(4, header.SampleCount);
        var text = WfdbWriter.FormatHeader(header);
        Assert.StartsWith("sum 2 360 4\n", text);
        Assert.Contains("sum.dat 16 200 16 0 30000 24463 0 A\n", text);
    }

    [Fact]
    public void Headers_write_non_default_fields_and_read_them_back()
    {
        var header = new RecordHeader("full_1", 250.5, 1000, 12, null, "10:20:30", "01/02/2003",
            [
                new SignalSpec("a.dat", 16, 1, 0, 0, 1000.25, -7, "uV", 16, 3, null, null, 0, "ECG lead I"),
                new SignalSpec("b.dat", 212, 1, 0, 0, 200, 1024, "mV", 11, 1024, null, null, 0, "V1"),
            ],
            ["first comment", "age: 42"]);
        int[][] digital = [[1, -2, 3], [1024, 1000, 2047]];
        var directory = TestData.NewTempDirectory("wfdbw");
        try
        {
            var written = WfdbWriter.WriteSignals(directory, header, digital);
            var read = WfdbRecordReader.ReadHeader(directory, "full_1");
            AssertSameHeader(written, read);
            Assert.Equal(digital, WfdbRecord.Read(directory, "full_1", annotator: null).Digital);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // ---- bad input ----

    [Theory]
    [InlineData(212, 2048)]
    [InlineData(212, -2049)]
    [InlineData(16, 32768)]
    public void A_sample_the_format_cannot_hold_is_refused_naming_the_signal_and_sample(int format, int value)
    {
        int[][] digital = [[0, 0, value]];
        var e = Assert.Throws<WfdbFormatException>(() => WfdbWriter.EncodeSignals("r", "r.dat", format, digital));
        Assert.Equal("signal 0 sample 2", e.Field);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Problem);
    }

    [Fact]
    public void Formats_the_writer_cannot_produce_are_refused_before_anything_is_written()
    {
        int[][] digital = [[1, 2]];
        var record = NewRecord("f8", 8, digital, []);
        var directory = TestData.NewTempDirectory("wfdbw");
        try
        {
            var e = Assert.Throws<WfdbFormatException>(() => { WfdbWriter.Write(directory, record); });
            Assert.Equal("signal 0 format", e.Field);
            Assert.Empty(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Signals_of_different_lengths_are_refused()
    {
        int[][] digital = [[1, 2, 3], [1, 2]];
        var e = Assert.Throws<WfdbFormatException>(() => WfdbWriter.Complete(NewRecord("len", 212, digital, []).Header, digital));
        Assert.Equal("signal 1 samples", e.Field);
    }

    [Theory]
    [InlineData(0L, AnnotationCode.NotQrs, 0, 0, 0, null, "code")]
    [InlineData(-1L, AnnotationCode.Normal, 0, 0, 0, null, "sample")]
    [InlineData(3L, AnnotationCode.Normal, 128, 0, 0, null, "subtype")]
    [InlineData(3L, AnnotationCode.Normal, 0, 256, 0, null, "channel")]
    [InlineData(3L, AnnotationCode.Normal, 0, 0, -129, null, "number")]
    [InlineData(3L, AnnotationCode.Rhythm, 0, 0, 0, "a\0b", "aux")]
    [InlineData(3L, (AnnotationCode)15, 0, 0, 0, null, "code")]
    public void Annotations_the_format_cannot_hold_are_refused_naming_the_field(long sample, AnnotationCode code, int sub, int chn, int num, string? aux, string field)
    {
        List<Annotation> annotations = [new(sample, code, sub, chn, num, aux)];
        var e = Assert.Throws<WfdbFormatException>(() => WfdbWriter.EncodeAnnotations(annotations, "bad", "bad.atr"));
        Assert.EndsWith(field, e.Field);
        Assert.Equal("bad.atr", e.File);
    }

    [Fact]
    public void An_AUX_string_longer_than_254_characters_is_refused()
    {
        List<Annotation> annotations = [new(3, AnnotationCode.Note, 0, 0, 0, new string('x', 255))];
        var e = Assert.Throws<WfdbFormatException>(() => WfdbWriter.EncodeAnnotations(annotations, "bad", "bad.atr"));
        Assert.EndsWith("aux", e.Field);
    }

    // ---- helpers ----

    public sealed record RecordCase(WfdbRecord Record)
    {
        public override string ToString() =>
            $"{Record.Header.SignalCount} signals x {Record.SampleCount} samples, formats {string.Join("/", Record.Header.Signals.Select(s => $"{s.FileName}:{s.Format}"))}, " +
            $"{Record.Annotations.Count} annotations: {string.Join(" ", Record.Annotations.Take(12))}";
    }

    private static Gen<RecordCase> RecordCases() =>
        from signals in Gen.Choose(1, 3)
        from frames in Gen.Frequency((3, Gen.Choose(0, 40)), (1, Gen.Choose(41, 700)))
        from format in Gen.Elements(212, 16)
        from separateFiles in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        from annotations in Annotations()
        select new RecordCase(NewRecord($"r{seed % 1000}", format, RandomSamples(seed, signals, frames, format), annotations, separateFiles));

    private static Gen<List<Annotation>> Annotations()
    {
        var gap = Gen.Frequency(
            (6, Gen.Choose(0, 400)),
            (2, Gen.Choose(1000, 1100)),
            (1, Gen.Choose(100_000, 3_000_000)));
        var aux = Gen.Frequency(
            (4, Gen.Constant<string?>(null)),
            (2, Gen.Choose(0x20, 0xFF).Select(c => (char)c).ArrayOf().Select(cs => (string?)new string([.. cs.Take(60)]))));
        var one =
            from g in gap
            from code in Gen.Elements(DefinedCodes)
            from sub in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(-128, 127)))
            from chn in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(0, 255)))
            from num in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(-128, 127)))
            from text in aux
            select (Gap: (long)g, Code: code, Sub: sub, Chn: chn, Num: num, Aux: text);
        return one.ListOf().Select(items =>
        {
            var result = new List<Annotation>(items.Count);
            long at = 0;
            foreach (var item in items.Take(80))
            {
                at += item.Gap;
                var code = at == 0 && item.Code == AnnotationCode.NotQrs ? AnnotationCode.Normal : item.Code;
                result.Add(new Annotation(at, code, item.Sub, item.Chn, item.Num, item.Aux));
            }
            return result;
        });
    }

    private static int[][] RandomSamples(int seed, int signals, int frames, int format)
    {
        var random = new Random(seed);
        var (min, max) = format == 212 ? (-2048, 2047) : (-32768, 32767);
        return [.. Enumerable.Range(0, signals).Select(_ => Enumerable.Range(0, frames).Select(_ => random.Next(min, max + 1)).ToArray())];
    }

    private static WfdbRecord NewRecord(string name, int format, int[][] digital, IReadOnlyList<Annotation> annotations, bool separateFiles = false)
    {
        var specs = digital.Select((_, s) => new SignalSpec(separateFiles ? $"{name}_{s}.dat" : $"{name}.dat", format, 1, 0, 0, 200, 0, "mV",
            format == 212 ? 12 : 16, 0, null, null, 0, ((char)('A' + s)).ToString())).ToList();
        var header = new RecordHeader(name, 360, 360, 0, digital.Length == 0 ? 0 : digital[0].Length, null, null, specs, []);
        return new WfdbRecord(header, digital, annotations);
    }

    private static void AssertSameHeader(RecordHeader expected, RecordHeader actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.SamplingFrequency, actual.SamplingFrequency);
        Assert.Equal(expected.CounterFrequency, actual.CounterFrequency);
        Assert.Equal(expected.BaseCounter, actual.BaseCounter);
        Assert.Equal(expected.SampleCount, actual.SampleCount);
        Assert.Equal(expected.BaseTime, actual.BaseTime);
        Assert.Equal(expected.BaseDate, actual.BaseDate);
        Assert.Equal(expected.Signals, actual.Signals);
        Assert.Equal(expected.Comments, actual.Comments);
    }

    private static ushort[] Words(byte[] bytes) =>
        [.. Enumerable.Range(0, bytes.Length / 2).Select(i => (ushort)(bytes[2 * i] | bytes[2 * i + 1] << 8))];
}
