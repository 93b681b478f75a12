using EcgOrleans.Signal.Wfdb;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgOrleans.Signal.Tests.Wfdb;

/// <summary>Write-then-read properties of the annotation writer and reader over generated annotation lists.</summary>
public sealed class AnnotationRoundTripProperties
{
    private static readonly AnnotationCode[] Codes =
        [.. Enumerable.Range(0, AnnotationCodes.MaxDefined + 1).Where(AnnotationCodes.IsDefined).Select(c => (AnnotationCode)c)];

    private static readonly AnnotationReadOptions KeepGoing = new() { KeepGoingWhenTruncated = true };

    /// <summary>A file layout: with or without WFDB's time-resolution preamble, with or without the end word.</summary>
    public sealed record Case(List<Annotation> Annotations, double? TimeResolution, bool EndWord)
    {
        public AnnotationWriteOptions Options => new() { TimeResolution = TimeResolution, EndWord = EndWord };

        public override string ToString() =>
            $"resolution {TimeResolution?.ToString() ?? "none"}, end word {EndWord}, {Annotations.Count} annotations: " +
            string.Join(" | ", Annotations.Take(20).Select(a => $"{a.Sample} {a.Mnemonic} s{a.SubType} c{a.Channel} n{a.Number} aux[{a.Aux?.Length}]"));
    }

    [Property(MaxTest = 300)]
    public Property Time_ordered_annotations_read_back_exactly() =>
        Prop.ForAll(Arb.From(Cases(ordered: true)), c =>
        {
            var read = WriteAndRead(c);
            Assert.Equal(c.Annotations, read.Annotations);
            Assert.Equal(c.TimeResolution, read.TimeResolution);
            Assert.Equal(!c.EndWord, read.Truncated);
        });

    [Property(MaxTest = 200)]
    public Property Annotations_in_any_order_read_back_exactly_through_SKIPs_back() =>
        Prop.ForAll(Arb.From(Cases(ordered: false)), c => Assert.Equal(c.Annotations, WriteAndRead(c).Annotations));

    [Property(MaxTest = 200)]
    public Property A_file_cut_at_any_even_byte_is_an_error_or_with_keep_going_a_prefix_of_what_was_written() =>
        Prop.ForAll(Arb.From(Cases(ordered: true)), Arb.From(Gen.Choose(0, 1_000_000)), (c, where) =>
        {
            var bytes = WfdbWriter.EncodeAnnotations(c.Annotations, "p", "p.atr", c.Options with { EndWord = false });
            var cut = bytes[..(where % (bytes.Length / 2 + 1) * 2)];

            var error = Assert.Throws<WfdbFormatException>(() => AnnotationReader.Decode(cut, "p", "p.atr"));
            Assert.Equal("p.atr", error.File);

            var read = AnnotationReader.DecodeFile(cut, "p", "p.atr", KeepGoing);
            Assert.True(read.Truncated);
            var preamble = WfdbWriter.EncodeAnnotations([], "p", "p.atr", c.Options with { EndWord = false }).Length;
            if (cut.Length < preamble)
            {
                // Cut inside the preamble: at most its note, without the AUX text that makes it one.
                Assert.True(read.Annotations is [] or [{ Code: AnnotationCode.Note, Sample: 0, Aux: null }], c.ToString());
                return;
            }
            Assert.True(read.Annotations.Count <= c.Annotations.Count);
            // Every annotation but the last is whole; the last may have lost the words after its code word.
            for (var i = 0; i < read.Annotations.Count - 1; i++) Assert.Equal(c.Annotations[i], read.Annotations[i]);
            if (read.Annotations.Count > 0)
            {
                var (last, written) = (read.Annotations[^1], c.Annotations[read.Annotations.Count - 1]);
                Assert.Equal((written.Sample, written.Code), (last.Sample, last.Code));
            }
        });

    private static AnnotationFile WriteAndRead(Case c)
    {
        var bytes = WfdbWriter.EncodeAnnotations(c.Annotations, "p", "p.atr", c.Options);
        if (!c.EndWord) Assert.Throws<WfdbFormatException>(() => AnnotationReader.Decode(bytes, "p", "p.atr"));
        return AnnotationReader.DecodeFile(bytes, "p", "p.atr", c.EndWord ? null : KeepGoing);
    }

    private static Gen<Case> Cases(bool ordered) =>
        from annotations in ordered ? Ordered() : Unordered()
        from resolution in Gen.Elements<double?>(null, null, 128, 250, 360, 1000, 62.5)
        from endWord in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        select new Case(annotations, resolution, endWord);

    /// <summary>Non-decreasing times: short gaps, gaps just past the 1023 a code word holds, and gaps of hours.</summary>
    private static Gen<List<Annotation>> Ordered()
    {
        var gap = Gen.Frequency(
            (8, Gen.Choose(0, 400)),
            (2, Gen.Choose(1020, 1030)),
            (1, Gen.Choose(100_000, int.MaxValue)));
        return Fields().Zip(gap).ListOf().Select(items =>
        {
            var result = new List<Annotation>(items.Count);
            long at = 0;
            foreach (var (fields, step) in items.Take(60))
            {
                at += step;
                result.Add(Fix(fields with { Sample = at }, result.Count));
            }
            return result;
        });
    }

    /// <summary>Times in any order within a day at 360 Hz: the writer reaches earlier ones with negative SKIPs.</summary>
    private static Gen<List<Annotation>> Unordered() =>
        Fields().Zip(Gen.Choose(0, 31_104_000)).ListOf()
            .Select(items => items.Take(60).Select((item, i) => Fix(item.Item1 with { Sample = item.Item2 }, i)).ToList());

    private static Gen<Annotation> Fields() =>
        from code in Gen.Elements(Codes)
        from sub in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(-128, 127)))
        from chn in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(0, 255)))
        from num in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(-128, 127)))
        from aux in Aux()
        select new Annotation(0, code, sub, chn, num, aux);

    /// <summary>No string, or 0 to 254 Latin-1 characters without NUL: odd and even lengths alike.</summary>
    private static Gen<string?> Aux() =>
        Gen.Frequency(
            (3, Gen.Constant<string?>(null)),
            (2, Gen.Choose(0, 254).SelectMany(length =>
                Gen.Choose(1, 255).ArrayOf(length).Select(cs => (string?)new string([.. cs.Select(c => (char)c)])))));

    /// <summary>What the format cannot hold at the head of a file: a NOTQRS at 0, or a note that reads as a definition.</summary>
    private static Annotation Fix(Annotation a, int index)
    {
        if (a is { Code: AnnotationCode.NotQrs, Sample: 0 }) a = a with { Code = AnnotationCode.Normal };
        if (index == 0 && a.Aux is ['#', ..]) a = a with { Aux = "!" + a.Aux[1..] };
        return a;
    }
}
