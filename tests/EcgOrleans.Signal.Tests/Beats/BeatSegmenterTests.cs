using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TestData = EcgOrleans.Tests.TestData;

namespace EcgOrleans.Signal.Tests.Beats;

[Trait("Category", "Data")]
public sealed class BeatSegmenterTests
{
    private static readonly Lazy<WfdbRecord> Record208 = new(() => WfdbRecord.Read(TestData.MitBihDirectory, "208"));

    /// <summary>The first minute of record 208 (many V and F beats).</summary>
    private static (float[] Samples, BeatMark[] Marks) Minute()
    {
        var record = Record208.Value;
        var samples = record.Physical(record.PrimaryLead)[..21600];
        var marks = RecordBeats.Marks(record.Annotations).Where(m => m.Sample < samples.Length).ToArray();
        return (samples, marks);
    }

    private static List<Beat> Chunked(float[] samples, BeatMark[] marks, BeatRepresentation representation, Func<int> nextChunk)
    {
        var segmenter = new BeatSegmenter("208", 360, representation);
        var beats = new List<Beat>();
        int at = 0, mark = 0;
        while (at < samples.Length)
        {
            var n = Math.Min(samples.Length - at, nextChunk());
            var end = mark;
            while (end < marks.Length && marks[end].Sample < at + n) end++;
            beats.AddRange(segmenter.Push(samples.AsSpan(at, n), marks.AsSpan(mark, end - mark)));
            at += n;
            mark = end;
        }
        beats.AddRange(segmenter.Complete());
        return beats;
    }

    private static bool Same(IReadOnlyList<Beat> a, IReadOnlyList<Beat> b) =>
        a.Count == b.Count && a.Zip(b).All(p =>
            p.First.Sample == p.Second.Sample && p.First.Reference == p.Second.Reference
            && p.First.Waveform.SequenceEqual(p.Second.Waveform) && p.First.Rhythm.SequenceEqual(p.Second.Rhythm));

    [Property(MaxTest = 15)]
    public Property Beats_do_not_depend_on_chunk_sizes(PositiveInt seed, bool kachuee)
    {
        var (samples, marks) = Minute();
        var representation = kachuee ? BeatRepresentation.Kachuee : BeatRepresentation.Window;
        var whole = Chunked(samples, marks, representation, () => int.MaxValue);
        var random = new Random(seed.Get);
        var pieces = Chunked(samples, marks, representation, () => random.Next(1, 3000));
        return Same(whole, pieces).Label($"{whole.Count} vs {pieces.Count}");
    }

    [Fact]
    public void One_beat_per_mark_first_and_last_included_with_their_labels()
    {
        var (samples, marks) = Minute();

        var beats = Chunked(samples, marks, BeatRepresentation.Window, () => 360);

        Assert.Equal(marks.Select(m => (m.Sample, m.Reference)), beats.Select(b => (b.Sample, b.Reference)));
        Assert.All(beats, b => Assert.Equal(256, b.Waveform.Length));
        Assert.All(beats, b => Assert.Equal(RhythmFeatures.Count, b.Rhythm.Length));
        Assert.All(beats, b => Assert.All(b.Waveform.Concat(b.Rhythm), v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void Window_beats_are_standardised_and_peak_at_the_R_sample()
    {
        var (samples, marks) = Minute();
        var beats = Chunked(samples, marks, BeatRepresentation.Window, () => 5000);
        var normal = beats.Where(b => b.Reference == AamiClass.N).ToList();

        Assert.All(beats, b =>
        {
            Assert.Equal(0, b.Waveform.Average(), 3);
            Assert.Equal(1, Math.Sqrt(b.Waveform.Average(v => v * v)), 3);
        });
        // Annotations sit on the R peak: in most normal beats the largest |value| is within 30 ms of sample 96.
        var peaked = normal.Count(b => Math.Abs(Array.IndexOf(b.Waveform, b.Waveform.MaxBy(Math.Abs)) - 96) <= 11);
        Assert.True(peaked > 0.9 * normal.Count, $"{peaked} of {normal.Count}");
    }

    [Fact]
    public void Kachuee_padding_grows_as_the_RR_interval_shrinks()
    {
        var (samples, marks) = Minute();
        var beats = Chunked(samples, marks, BeatRepresentation.Kachuee, () => 5000);

        Assert.All(beats, b => Assert.InRange(b.Waveform.Max(), 0.999f, 1f));
        Assert.All(beats, b => Assert.Equal(0f, b.Waveform.Min()));
        // The padded tail (zeros after the last non-zero value) is longer for faster rhythms.
        static int Tail(Beat b) => b.Waveform.Length - 1 - Array.FindLastIndex(b.Waveform, v => v != 0);
        var fast = beats.Where(b => b.Rhythm[3] * b.Rhythm[2] < 0.7).Select(Tail).DefaultIfEmpty().Average();
        var slow = beats.Where(b => b.Rhythm[3] * b.Rhythm[2] > 0.85).Select(Tail).DefaultIfEmpty().Average();
        Assert.True(fast > slow, $"fast rhythm tail {fast}, slow rhythm tail {slow}");
    }

    [Fact]
    public void Rhythm_features_show_the_premature_beat_and_its_compensatory_pause()
    {
        var (samples, marks) = Minute();
        var beats = Chunked(samples, marks, BeatRepresentation.Window, () => 1000);
        var v = beats.Where(b => b.Reference == AamiClass.V).ToList();
        var n = beats.Where(b => b.Reference == AamiClass.N).ToList();

        Assert.True(v.Average(b => b.Rhythm[0]) < n.Average(b => b.Rhythm[0]), "V comes early");
        Assert.True(v.Average(b => b.Rhythm[1]) > n.Average(b => b.Rhythm[1]), "V is followed by a pause");
    }

    [Theory]
    [InlineData("208")]
    [InlineData("119")]
    [InlineData("228")]
    public void Morphology_features_set_V_beats_apart_from_the_records_own_normal_beats(string name)
    {
        var beats = RecordBeats.Extract(WfdbRecord.Read(TestData.MitBihDirectory, name), BeatRepresentation.Window);
        static double Median(IEnumerable<float> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }
        var v = beats.Where(b => b.Reference == AamiClass.V).ToList();
        var n = beats.Where(b => b.Reference == AamiClass.N).ToList();

        // Normal beats match the record's template and its usual amplitude; its V beats do neither.
        Assert.InRange(Median(n.Select(b => b.Rhythm[5])), 0, 0.1);
        Assert.True(Median(v.Select(b => b.Rhythm[5])) > 0.25, $"V template distance {Median(v.Select(b => b.Rhythm[5])):F2}");
        Assert.True(Median(v.Select(b => b.Rhythm[4])) > 1.2 * Median(n.Select(b => b.Rhythm[4])),
            $"V amplitude {Median(v.Select(b => b.Rhythm[4])):F2}, N {Median(n.Select(b => b.Rhythm[4])):F2}");
    }

    [Fact]
    public void A_refused_push_changes_nothing()
    {
        var (samples, marks) = Minute();
        var clean = Chunked(samples, marks, BeatRepresentation.Window, () => 3600);

        var segmenter = new BeatSegmenter("208", 360, BeatRepresentation.Window);
        var beats = new List<Beat>();
        int at = 0, mark = 0;
        while (at < samples.Length)
        {
            var n = Math.Min(3600, samples.Length - at);
            var end = mark;
            while (end < marks.Length && marks[end].Sample < at + n) end++;
            var chunk = samples[at..(at + n)];
            var chunkMarks = marks.AsSpan(mark, end - mark).ToArray();
            // Out of order, from the future, repeated: each refused whole.
            Assert.Throws<ArgumentException>(() => segmenter.Push(chunk, [.. chunkMarks, new BeatMark(at + n + 5)]));
            if (chunkMarks.Length > 1)
                Assert.Throws<ArgumentException>(() => segmenter.Push(chunk, [chunkMarks[1], chunkMarks[0]]));
            if (mark > 0)
                Assert.Throws<ArgumentException>(() => segmenter.Push(chunk, [marks[mark - 1], .. chunkMarks]));
            beats.AddRange(segmenter.Push(chunk, chunkMarks));
            at += n;
            mark = end;
        }
        beats.AddRange(segmenter.Complete());

        Assert.True(Same(clean, beats));
    }

    [Fact]
    public void Memory_stays_bounded_on_a_long_stream()
    {
        var segmenter = new BeatSegmenter("long", 360, BeatRepresentation.Kachuee);
        var chunk = new float[360];
        var emitted = 0;
        var peak = 0;
        for (var second = 0; second < 3600; second++)
        {
            for (var i = 0; i < chunk.Length; i++) chunk[i] = (float)Math.Sin(i * 0.1);
            BeatMark[] marks = [new(second * 360L + 100), new(second * 360L + 300)];
            emitted += segmenter.Push(chunk, marks).Count;
            peak = Math.Max(peak, segmenter.BufferedSamples);
        }
        emitted += segmenter.Complete().Count;

        Assert.Equal(7200, emitted);
        Assert.True(peak < 2000, $"buffered up to {peak} samples");
    }

    [Fact]
    public void A_long_pause_is_capped_and_does_not_hold_memory()
    {
        var segmenter = new BeatSegmenter("pause", 360, BeatRepresentation.Window);
        var emitted = segmenter.Push(new float[400], [new BeatMark(200)]).ToList();
        for (var i = 0; i < 60; i++) emitted.AddRange(segmenter.Push(new float[360], []));

        var beat = Assert.Single(emitted);
        Assert.Equal(BeatSegmenter.MaxRrSeconds, beat.Rhythm[3], 3);
        Assert.True(segmenter.BufferedSamples < 1000);
    }

    [Fact]
    public void A_single_beat_record_gets_the_default_rhythm()
    {
        var segmenter = new BeatSegmenter("one", 360, BeatRepresentation.Window);
        segmenter.Push(new float[1000], [new BeatMark(500)]);

        var beat = Assert.Single(segmenter.Complete());

        Assert.Equal([1f, 1f, 1f, (float)BeatSegmenter.DefaultRrSeconds, 1f, 0f], beat.Rhythm); // its own amplitude and template
    }

    [Property(MaxTest = 10)]
    public Property Resuming_from_a_snapshot_gives_the_uninterrupted_beats(PositiveInt seed, bool kachuee)
    {
        var (samples, marks) = Minute();
        var representation = kachuee ? BeatRepresentation.Kachuee : BeatRepresentation.Window;
        var whole = Chunked(samples, marks, representation, () => int.MaxValue);

        var random = new Random(seed.Get);
        var segmenter = new BeatSegmenter("208", 360, representation);
        var beats = new List<Beat>();
        int at = 0, mark = 0;
        while (at < samples.Length)
        {
            var n = Math.Min(samples.Length - at, random.Next(1, 4000));
            var end = mark;
            while (end < marks.Length && marks[end].Sample < at + n) end++;
            beats.AddRange(segmenter.Push(samples.AsSpan(at, n), marks.AsSpan(mark, end - mark)));
            at += n;
            mark = end;
            if (random.Next(3) == 0) segmenter = BeatSegmenter.Restore(segmenter.Snapshot());
        }
        beats.AddRange(segmenter.Complete());
        return Same(whole, beats).ToProperty();
    }

    [Fact]
    public void A_corrupt_snapshot_is_refused()
    {
        var segmenter = new BeatSegmenter("r", 360, BeatRepresentation.Window);
        segmenter.Push(new float[2000], [new BeatMark(500)]);
        var snapshot = segmenter.Snapshot();

        Assert.Throws<InvalidDataException>(() => BeatSegmenter.Restore(snapshot[..(snapshot.Length / 2)]));
        Assert.Throws<InvalidDataException>(() => BeatSegmenter.Restore([1, 2, 3, 4, 5]));
        Assert.Equal(snapshot, BeatSegmenter.Restore(snapshot).Snapshot());
    }
}
