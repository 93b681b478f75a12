using EcgOrleans.Signal.Resampling;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.Signal.Tests.Resampling;

public sealed class WfdbResamplerTests : IDisposable
{
    private readonly string _folder = TestData.NewTempDirectory("resample");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_format_212_record_keeps_a_tone_below_the_new_Nyquist_and_loses_one_above_it()
    {
        const double amplitude = 1000;
        var record = Record("tones", 360, 212, [Tone(360, 40, amplitude, 0.7, 7200), Tone(360, 100, amplitude, 0.2, 7200)], []);

        var copy = WfdbResampler.Resample(record, 128);

        Assert.Equal((128.0, 128.0, 2560L), (copy.Header.SamplingFrequency, copy.Header.CounterFrequency, copy.Header.SampleCount!.Value));
        Assert.All(copy.Header.Signals, s => Assert.Equal((212, 200.0, 0, "tones.dat"), (s.Format, s.Gain, s.Baseline, s.FileName)));
        var resampler = new RationalResampler(360, 128);
        var skip = RationalResamplerTests.EdgeSamples(resampler);

        // Rounding to whole ADC units moves each sample by at most 0.5; the least-squares sine through N samples then moves
        // by at most 2/N × Σ 0.5 = 1 unit, in amplitude and (over the amplitude) in phase. The filter adds its 4δ.
        var tolerance = 4 * RationalResampler.DesignRipple + 1 / amplitude;
        var (a, phase) = RationalResamplerTests.Fit([.. copy.Digital[0][skip..^skip].Select(v => (double)v)], 128, 40, skip);
        Assert.InRange(a / amplitude - 1, -tolerance, tolerance);
        Assert.InRange(RationalResamplerTests.Wrap(phase - 0.7), -tolerance, tolerance);

        // 100 Hz is above 64 Hz: at most 2δ × 1000 = 0.2 units remain, which round to zero.
        Assert.All(copy.Digital[1][skip..^skip], v => Assert.Equal(0, v));
    }

    [Fact]
    public void Annotation_times_move_to_the_nearest_new_sample_and_every_annotation_is_kept()
    {
        List<Annotation> annotations =
        [
            new(0, AnnotationCode.Rhythm, 0, 0, 0, "(N"), new(18, AnnotationCode.Normal, 0, 0, 0, null),
            new(371, AnnotationCode.Pvc, 0, 1, 3, null), new(3599, AnnotationCode.Normal, 0, 0, 0, null),
            new(5000, AnnotationCode.Note, 0, 0, 0, "past the end"),
        ];
        var record = Record("ann", 360, 16, [Tone(360, 5, 100, 0, 3600)], annotations);

        var copy = WfdbResampler.Resample(record, 250);

        // round(t × 250 / 360): 12.5 rounds up, 257.6 to 258, 2499.3 to 2499, 3472.2 to 3472.
        Assert.Equal([0L, 13, 258, 2499, 3472], copy.Annotations.Select(a => a.Sample));
        Assert.Equal(annotations.Select(a => (a.Code, a.SubType, a.Channel, a.Number, a.Aux)),
            copy.Annotations.Select(a => (a.Code, a.SubType, a.Channel, a.Number, a.Aux)));
        Assert.Equal(new AnnotationOverrun(1, 3472, 2500), copy.AnnotationsPastEnd);
    }

    [Fact]
    public void The_copy_on_disk_reads_back_with_its_header_signals_and_annotations()
    {
        List<Annotation> annotations = [new(100, AnnotationCode.Normal, 0, 0, 0, null), new(2000, AnnotationCode.Pvc, 0, 0, 0, null)];
        var record = Record("src", 360, 212, [Tone(360, 10, 500, 0, 3600), Tone(360, 3, 300, 1, 3600)], annotations);
        var source = Path.Combine(_folder, "in");
        WfdbWriter.Write(source, record);
        File.Copy(Path.Combine(source, "src.atr"), Path.Combine(source, "src.qrs"));
        var output = Path.Combine(_folder, "out");

        var result = WfdbResampler.ResampleFiles(source, "src", output, 128,
            new WfdbResampleOptions { OutputName = "src_128", Annotators = ["atr", "qrs"] });

        Assert.Equal(["src_128.hea", "src_128.dat", "src_128.atr", "src_128.qrs"], result.Files);
        Assert.Equal(2, result.Annotations["qrs"]);
        Assert.Empty(result.Warnings);
        var read = WfdbRecord.Read(output, "src_128");
        Assert.Equal((128.0, 1280L), (read.Header.SamplingFrequency, read.Header.SampleCount!.Value));
        Assert.Equal(result.Header.Signals, read.Header.Signals);
        Assert.Equal(WfdbResampler.Resample(record, 128, "src_128").Digital, read.Digital);
        Assert.Equal([36L, 711], read.Annotations.Select(a => a.Sample));
    }

    [Fact]
    public void Values_beyond_16_bits_are_written_in_format_16_with_the_gain_scaled_to_keep_physical_units()
    {
        var spec = new SignalSpec("big.dat", 32, 1, 0, 0, 1000, 0, "mV", 24, 0, null, null, 0, "ECG");
        int[][] digital = [[.. Enumerable.Range(0, 3600).Select(i => 1_000_000 + (int)(200_000 * Math.Sin(i / 50.0)))]];
        var record = new WfdbRecord(new RecordHeader("big", 360, 360, 0, 3600, null, null, [spec], []), digital, []);

        var copy = WfdbResampler.Resample(record, 250);

        var written = Assert.Single(copy.Header.Signals);
        Assert.Equal((16, 1000.0 / 64, 16), (written.Format, written.Gain, written.AdcResolution)); // 1.2e6 / 64 < 32767
        Assert.All(copy.Digital[0], v => Assert.InRange(v, -32767, 32767));
        // The level (1000 mV) and swing survive to within a scaled ADC unit and the filter's ripple.
        var physical = copy.Physical(0);
        Assert.InRange(physical.Average(), 990, 1010);
        Assert.InRange(physical.Max(), 1195, 1201);
    }

    [Fact]
    public void Missing_samples_stay_missing_around_the_same_instants_and_nowhere_else()
    {
        var tone = Tone(360, 5, 500, 0, 3600);
        for (var i = 1800; i < 1836; i++) tone[i] = -2048; // 0.1 s gap, format 212's missing value
        var record = Record("gap", 360, 212, [tone], []);

        var copy = WfdbResampler.Resample(record, 128);

        var missing = copy.Physical(0).Select((v, i) => (v, i)).Where(p => float.IsNaN(p.v)).Select(p => (long)p.i).ToList();
        // Input 1800..1835 lies at output instants 640.0..652.4. An output is missing when a missing input lies less than
        // one output period (45/16 input samples, longer than an input period) away: outputs 640 to 653.
        Assert.Equal(Enumerable.Range(640, 14).Select(i => (long)i), missing);
    }

    [Fact]
    public void Writing_the_copy_over_its_source_is_refused()
    {
        var record = Record("self", 360, 16, [Tone(360, 5, 100, 0, 360)], []);
        WfdbWriter.Write(_folder, record);
        var error = Assert.Throws<ArgumentException>(() => WfdbResampler.ResampleFiles(_folder, "self", _folder, 128));
        Assert.Contains("overwrite", error.Message);
    }

    [Fact]
    public void A_listed_annotator_that_is_missing_is_an_error_naming_its_file_and_nothing_is_written()
    {
        var record = Record("noann", 360, 16, [Tone(360, 5, 100, 0, 360)], []);
        WfdbWriter.WriteSignals(Path.Combine(_folder, "in"), record.Header, record.Digital);
        var output = Path.Combine(_folder, "out");

        var error = Assert.Throws<WfdbFormatException>(() =>
            WfdbResampler.ResampleFiles(Path.Combine(_folder, "in"), "noann", output, 128, new WfdbResampleOptions { Annotators = ["atr"] }));

        Assert.Equal("noann.atr", error.File);
        Assert.False(Directory.Exists(output));
    }

    internal static int[] Tone(double rate, double frequency, double amplitude, double phase, int samples) =>
        [.. Enumerable.Range(0, samples).Select(n => (int)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * n / rate + phase)))];

    private static WfdbRecord Record(string name, double frequency, int format, int[][] digital, IReadOnlyList<Annotation> annotations)
    {
        var specs = digital.Select((_, s) => new SignalSpec($"{name}.dat", format, 1, 0, 0, 200, 0, "mV", format == 212 ? 11 : 16, 0, null, null, 0, $"S{s}")).ToList();
        return new WfdbRecord(new RecordHeader(name, frequency, frequency, 0, digital[0].Length, null, null, specs, []), digital, annotations);
    }
}
