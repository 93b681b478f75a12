using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Synthetic;
using EcgOrleans.Signal.Wfdb;
using TestData = EcgOrleans.Tests.TestData;

namespace EcgOrleans.Signal.Tests.Synthetic;

public sealed class SyntheticEcgTests
{
    private static readonly SyntheticOptions Default = new(Seed: 11);

    [Fact]
    public void The_same_seed_gives_the_same_record()
    {
        var first = SyntheticEcg.Generate(Default, "a", 20);
        var second = SyntheticEcg.Generate(Default, "a", 20);
        Assert.Equal(first.Digital, second.Digital);
        Assert.Equal(first.Annotations, second.Annotations);
    }

    [Fact]
    public void Different_seeds_give_different_records()
    {
        var first = SyntheticEcg.Generate(Default, "a", 20);
        var second = SyntheticEcg.Generate(Default with { Seed = 12 }, "a", 20);
        var differing = first.Digital[0].Zip(second.Digital[0]).Count(p => p.First != p.Second);
        Assert.True(differing > first.SampleCount / 2, $"only {differing} of {first.SampleCount} samples differ");
        Assert.NotEqual(first.Annotations.Select(a => a.Sample), second.Annotations.Select(a => a.Sample));
    }

    [Fact]
    public void A_longer_record_starts_with_the_shorter_one()
    {
        var shorter = SyntheticEcg.Generate(Default, "a", 10);
        var longer = SyntheticEcg.Generate(Default, "a", 25);
        Assert.Equal(shorter.Digital[0], longer.Digital[0][..shorter.SampleCount]);
        Assert.Equal(shorter.Digital[1], longer.Digital[1][..shorter.SampleCount]);
        Assert.Equal(shorter.Annotations, longer.Annotations.Where(a => a.Sample < shorter.SampleCount));
    }

    [Fact]
    public void A_record_is_laid_out_like_MIT_BIH()
    {
        var record = SyntheticEcg.Generate(Default, "s042", 12.5);
        var header = record.Header;
        Assert.Equal("s042", record.Name);
        Assert.Equal(360, header.SamplingFrequency);
        Assert.Equal(4500, header.SampleCount);
        Assert.Equal(["MLII", "V1"], header.Signals.Select(s => s.Description));
        Assert.Equal(0, record.PrimaryLead);
        for (var s = 0; s < 2; s++)
        {
            var spec = header.Signals[s];
            Assert.Equal(("s042.dat", 212, 200.0, 1024, 1024, 11, "mV"), (spec.FileName, spec.Format, spec.Gain, spec.Baseline, spec.AdcZero, spec.AdcResolution, spec.Units));
            Assert.Equal(record.Digital[s][0], spec.InitialValue);
            Assert.Equal(WfdbWriter.Checksum(record.Digital[s]), spec.Checksum);
            Assert.All(record.Digital[s], v => Assert.InRange(v, 0, 2047));
        }
        Assert.All(record.Annotations, a => Assert.NotNull(Aami.FromCode(a.Code)));
        Assert.Equal(record.Annotations.OrderBy(a => a.Sample), record.Annotations);
        Assert.All(record.Annotations, a => Assert.InRange(a.Sample, 0, record.SampleCount - 1));
        // 12.5 s at 72 bpm: about 15 beats (fewer when premature beats are followed by pauses).
        Assert.InRange(record.Annotations.Count, 12, 18);
    }

    [Fact]
    public void Beats_come_at_the_requested_heart_rate()
    {
        foreach (var rate in new[] { 50.0, 72, 110 })
        {
            var record = SyntheticEcg.Generate(new SyntheticOptions(3, HeartRate: rate, Normal: 1, Supraventricular: 0, Ventricular: 0, Fusion: 0, Paced: 0), "hr", 60);
            var samples = record.Annotations.Select(a => a.Sample).ToArray();
            var meanRr = (samples[^1] - samples[0]) / (double)(samples.Length - 1) / 360;
            Assert.InRange(60 / meanRr, rate * 0.95, rate * 1.05);
            Assert.All(record.Annotations, a => Assert.Equal(AnnotationCode.Normal, a.Code));
        }
    }

    [Fact]
    public void Annotations_sit_on_the_R_peak_of_MLII()
    {
        // Without noise, the annotated sample is the extreme of MLII within ±10 ms, in the direction of the QRS.
        var clean = SyntheticEcg.Generate(Default with { NoiseLevel = 0, Ventricular = 0.2, Fusion = 0.1, Paced = 0.1 }, "clean", 120);
        var lead = clean.Digital[0];
        var radius = (int)Math.Round(0.010 * 360);
        Assert.True(clean.Annotations.Count > 100);
        foreach (var a in clean.Annotations)
        {
            var window = lead[(int)Math.Max(0, a.Sample - radius)..(int)Math.Min(lead.Length, a.Sample + radius + 1)];
            var value = lead[a.Sample];
            Assert.True(value == window.Max() || value == window.Min(), $"{a} holds {value}, the window ±10 ms spans {window.Min()}..{window.Max()}");
        }
        // With the default noise the annotation stays within 2 samples (5.6 ms) of the local maximum of each normal beat.
        var noisy = SyntheticEcg.Generate(Default, "noisy", 120);
        foreach (var a in noisy.Annotations.Where(a => a.Code == AnnotationCode.Normal))
        {
            var from = (int)Math.Max(0, a.Sample - radius);
            var window = noisy.Digital[0][from..(int)Math.Min(noisy.SampleCount, a.Sample + radius + 1)];
            var peak = from + Array.IndexOf(window, window.Max());
            Assert.InRange(peak - a.Sample, -2, 2);
        }
    }

    [Fact]
    public void The_database_names_its_records_in_order_and_holds_every_AAMI_class()
    {
        var database = SyntheticEcg.Database(seed: 2026, records: 4, seconds: 120);
        Assert.Equal(["s001", "s002", "s003", "s004"], database.Select(r => r.Name));
        var totals = new int[Aami.ClassCount];
        foreach (var record in database)
        {
            var counts = SyntheticEcg.ClassCounts(record.Annotations);
            for (var c = 0; c < totals.Length; c++) totals[c] += counts[c];
        }
        Assert.All(Aami.Classes, c => Assert.True(totals[(int)c] >= 10, $"class {c}: {totals[(int)c]} beats"));
        // The records are different patients: their heart rates differ.
        var rates = database.Select(r => r.Annotations.Count).Distinct().Count();
        Assert.True(rates >= 3, "the records should not all have the same number of beats");
        Assert.Equal(database[0].Digital, SyntheticEcg.Generate(SyntheticEcg.RecordOptions(2026, 0), "s001", 120).Digital);
    }

    [Fact]
    public void A_patient_given_a_narrow_QRS_and_a_deep_S_wave_has_them()
    {
        // The same patient otherwise (the traits are drawn either way): only the QRS changes.
        var options = Default with { NoiseLevel = 0, BaselineWander = 0, Normal = 1, Supraventricular = 0, Ventricular = 0, Fusion = 0, Paced = 0 };
        var (narrow, wide) = (Qrs(options with { QrsWidth = 0.7, SWaveDepth = 0.5 }), Qrs(options with { QrsWidth = 1.2, SWaveDepth = 0.05 }));
        Assert.True(narrow.HalfWidth < 0.8 * wide.HalfWidth, $"R wave {narrow.HalfWidth} samples wide at half height against {wide.HalfWidth}");
        Assert.InRange(narrow.SOverR, 0.35, 0.65);
        Assert.InRange(wide.SOverR, 0, 0.2);
    }

    /// <summary>The median beat's R wave width at half height (samples) and S-wave depth over R height, from the baseline 60 ms before R.</summary>
    private static (int HalfWidth, double SOverR) Qrs(SyntheticOptions options)
    {
        var record = SyntheticEcg.Generate(options, "qrs", 20);
        var lead = record.Physical(0);
        var beats = record.Annotations.Skip(2).SkipLast(2).Select(a => (int)a.Sample).ToList();
        var widths = new List<int>();
        var depths = new List<double>();
        foreach (var r in beats)
        {
            var baseline = lead[r - 22];
            var height = lead[r] - baseline;
            var (from, to) = (r, r);
            while (lead[from - 1] - baseline > height / 2) from--;
            while (lead[to + 1] - baseline > height / 2) to++;
            widths.Add(to - from + 1);
            depths.Add((baseline - lead[r..(r + 18)].Min()) / height);
        }
        return (widths.Order().ElementAt(widths.Count / 2), depths.Order().ElementAt(depths.Count / 2));
    }

    [Fact]
    public void A_database_written_as_WFDB_reads_back_like_MIT_BIH()
    {
        var database = SyntheticEcg.Database(seed: 5, records: 2, seconds: 30);
        var directory = TestData.NewTempDirectory("synth");
        try
        {
            foreach (var record in database) WfdbWriter.Write(directory, record);
            Assert.Equal(["s001.atr", "s001.dat", "s001.hea", "s002.atr", "s002.dat", "s002.hea"],
                Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var record in database)
            {
                var read = WfdbRecord.Read(directory, record.Name);
                Assert.Equal(record.Digital, read.Digital);
                Assert.Equal(record.Annotations, read.Annotations);
                Assert.Equal(record.Header.Signals, read.Header.Signals);
                Assert.Equal(record.Header.Comments, read.Header.Comments);
                Assert.Equal(record.Physical(0), read.Physical(read.PrimaryLead));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_few_integration_steps_per_sample_already_give_the_converged_signal()
    {
        // Steps are split at every R so the phase never drifts; four RK4 steps per sample agree with sixteen to 1 adu (5 µV).
        var options = Default with { NoiseLevel = 0, Paced = 0.2 };
        var coarse = SyntheticEcg.Generate(options, "c", 30);
        var fine = SyntheticEcg.Generate(options with { Oversampling = 16 }, "f", 30);
        for (var s = 0; s < 2; s++)
            Assert.True(coarse.Digital[s].Zip(fine.Digital[s]).All(p => Math.Abs(p.First - p.Second) <= 1));
        Assert.Equal(coarse.Annotations, fine.Annotations);
    }

    [Theory]
    [InlineData("HeartRate")]
    [InlineData("SamplingFrequency")]
    [InlineData("class weight V")]
    [InlineData("class weights")]
    [InlineData("NoiseLevel")]
    [InlineData("Oversampling")]
    [InlineData("QrsWidth")]
    [InlineData("SWaveDepth")]
    public void Options_out_of_range_are_refused_naming_the_option(string option)
    {
        var options = option switch
        {
            "HeartRate" => Default with { HeartRate = 0 },
            "SamplingFrequency" => Default with { SamplingFrequency = double.NaN },
            "class weight V" => Default with { Ventricular = -0.1 },
            "class weights" => Default with { Normal = 0, Supraventricular = 0, Ventricular = 0, Fusion = 0, Paced = 0 },
            "NoiseLevel" => Default with { NoiseLevel = -1 },
            "QrsWidth" => Default with { QrsWidth = 0.1 },
            "SWaveDepth" => Default with { SWaveDepth = double.NaN },
            _ => Default with { Oversampling = 0 },
        };
        var e = Assert.Throws<ArgumentException>(() => SyntheticEcg.Generate(options, "bad", 1));
        Assert.Contains(option, e.Message);
    }

    [Fact]
    public void Bad_lengths_and_names_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticEcg.Generate(Default, "r", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticEcg.Generate(Default, "r", double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => SyntheticEcg.Generate(Default, "../r", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticEcg.Database(1, -1, 1));
    }

    [Fact]
    public void The_random_generator_is_xoshiro256_star_star()
    {
        // Published outputs of xoshiro256** from the state {1, 2, 3, 4}.
        var random = SeededRandom.FromState(1, 2, 3, 4);
        ulong[] expected = [11520, 0, 1509978240, 1215971899390074240];
        Assert.Equal(expected, expected.Select(_ => random.NextUInt64()));
    }
}

public sealed class SyntheticSourceTests
{
    [Fact]
    public void The_source_serves_the_database_records_by_name()
    {
        var source = new Sources.SyntheticSource(seed: 3, records: 3, seconds: 10);
        Assert.Equal("synthetic", source.Dataset);
        Assert.Equal(["s001", "s002", "s003"], source.Records);
        var database = SyntheticEcg.Database(3, 3, 10);
        Assert.Equal(database[1].Digital, source.Load("s002").Digital);
        Assert.Equal(database[1].Annotations, source.Load("s002").Annotations);
        var e = Assert.Throws<WfdbFormatException>(() => source.Load("s004"));
        Assert.Equal("s004", e.Record);
    }
}
