using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;
using TestData = EcgOrleans.Tests.TestData;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgOrleans.Signal.Tests.Wfdb;

/// <summary>The readers on the real MIT-BIH Arrhythmia Database.</summary>
[Trait("Category", "Data")]
public sealed class MitBihTests
{
    private static readonly string Data = TestData.MitBihDirectory;

    [Fact]
    public void Record_100_reads_650000_frames_of_two_signals_matching_its_header()
    {
        var record = WfdbRecord.Read(Data, "100");

        Assert.Equal(2, record.Digital.Length);
        Assert.All(record.Digital, signal => Assert.Equal(650000, signal.Length));
        for (var s = 0; s < 2; s++)
        {
            var spec = record.Header.Signals[s];
            Assert.Equal(spec.InitialValue, record.Digital[s][0]);
            Assert.Equal((short)spec.Checksum!.Value, (short)record.Digital[s].Sum(v => (long)v));
        }
        Assert.Equal([995, 1011], record.Digital.Select(d => d[0]));
        Assert.Equal(-0.145f, record.Physical(0)[0], 1e-6f);
        Assert.Equal(0, record.PrimaryLead);
    }

    [Fact]
    public void Every_one_of_the_48_records_reads_without_error()
    {
        var beats = 0;
        foreach (var name in DatasetSplits.All)
        {
            var record = WfdbRecord.Read(Data, name);
            Assert.Equal(record.Header.SampleCount, record.SampleCount);
            Assert.NotEmpty(record.Annotations);
            beats += record.Annotations.Count(a => Aami.FromCode(a.Code) is not null);
        }
        Assert.Equal(48, DatasetSplits.All.Count);
        Assert.Equal(109494, beats);
    }

    // de Chazal, O'Dwyer, Reilly (2004), IEEE TBME 51(7), Table I.
    [Theory]
    [InlineData("ds1", 45866, 944, 3788, 415, 8)]
    [InlineData("ds2", 44259, 1837, 3221, 388, 7)]
    public void AAMI_beat_counts_equal_de_Chazal_table(string split, int n, int s, int v, int f, int q)
    {
        var counts = new int[Aami.ClassCount];
        foreach (var name in DatasetSplits.Named(split))
        {
            foreach (var annotation in AnnotationReader.Read(Data, name))
            {
                if (Aami.FromCode(annotation.Code) is { } c) counts[(int)c]++;
            }
        }

        Assert.Equal([n, s, v, f, q], counts);
    }

    [Property(MaxTest = 25)]
    public Property Reading_in_pieces_of_any_size_gives_the_whole_record(PositiveInt seed)
    {
        var whole = WfdbRecord.Read(Data, "203", annotator: null).Digital;
        var random = new Random(seed.Get);
        using var reader = WfdbRecordReader.Open(Data, "203");
        var frames = new List<int>[2] { new(), new() };
        while (true)
        {
            var buffer = new int[2 * random.Next(1, 40000)];
            var n = reader.ReadFrames(buffer);
            if (n == 0) break;
            for (var f = 0; f < n; f++)
            {
                frames[0].Add(buffer[2 * f]);
                frames[1].Add(buffer[2 * f + 1]);
            }
        }
        return (frames[0].SequenceEqual(whole[0]) && frames[1].SequenceEqual(whole[1])).ToProperty();
    }

    [Fact]
    public void Annotations_of_record_100_start_with_the_rhythm_label_and_count_2273_beats()
    {
        var annotations = AnnotationReader.Read(Data, "100");

        Assert.Equal((18L, AnnotationCode.Rhythm, "(N"), (annotations[0].Sample, annotations[0].Code, annotations[0].Aux));
        Assert.Equal(2273, annotations.Count(a => a.IsBeat));
        Assert.Equal(33, annotations.Count(a => a.Code == AnnotationCode.Apc));
    }
}
