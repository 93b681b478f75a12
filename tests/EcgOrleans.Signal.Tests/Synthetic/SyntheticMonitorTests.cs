using EcgOrleans.Signal.Synthetic;
using EcgOrleans.Signal.Wfdb;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgOrleans.Signal.Tests.Synthetic;

public sealed class SyntheticMonitorTests
{
    private static readonly SyntheticOptions Options = new(Seed: 99, Ventricular: 0.15, Paced: 0.1);

    [Property(MaxTest = 20)]
    public Property The_output_does_not_depend_on_how_it_is_cut() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 400).ListOf().Select(sizes => sizes.Take(20).ToArray())), sizes =>
        {
            var total = sizes.Sum();
            var whole = new SyntheticMonitor(Options).Next(total);
            var cut = new SyntheticMonitor(Options);
            var samples = new List<float>();
            var annotations = new List<Annotation>();
            foreach (var size in sizes)
            {
                var chunk = cut.Next(size);
                Assert.Equal(samples.Count, chunk.FirstSample);
                Assert.Equal(size, chunk.Samples.Length);
                Assert.All(chunk.Annotations, a => Assert.InRange(a.Sample, chunk.FirstSample, chunk.FirstSample + size - 1));
                samples.AddRange(chunk.Samples);
                annotations.AddRange(chunk.Annotations);
            }
            Assert.Equal(whole.Samples, samples);
            Assert.Equal(whole.Annotations, annotations);
            Assert.Equal(total, cut.Position);
        });

    [Fact]
    public void The_monitor_shows_what_the_record_of_the_same_options_holds()
    {
        var record = SyntheticEcg.Generate(Options, "m", 30);
        var monitor = new SyntheticMonitor(Options);
        var samples = new List<float>();
        var annotations = new List<Annotation>();
        while (monitor.Position < record.SampleCount)
        {
            var chunk = monitor.Next((int)Math.Min(360, record.SampleCount - monitor.Position));
            samples.AddRange(chunk.Samples);
            annotations.AddRange(chunk.Annotations);
        }
        Assert.Equal(record.Physical(0), samples);
        Assert.Equal(record.Annotations, annotations);
        Assert.Contains(annotations, a => a.Code == AnnotationCode.Pvc);
    }

    [Fact]
    public void Monitors_of_different_seeds_differ_and_of_one_seed_agree()
    {
        var a = new SyntheticMonitor(Options).Next(3600);
        var b = new SyntheticMonitor(Options).Next(3600);
        var c = new SyntheticMonitor(Options with { Seed = 100 }).Next(3600);
        Assert.Equal(a.Samples, b.Samples);
        Assert.NotEqual(a.Samples, c.Samples);
    }

    [Fact]
    public void An_empty_request_gives_an_empty_chunk_and_a_negative_one_is_refused()
    {
        var monitor = new SyntheticMonitor(Options);
        var chunk = monitor.Next(0);
        Assert.Empty(chunk.Samples);
        Assert.Empty(chunk.Annotations);
        Assert.Equal(0, monitor.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => monitor.Next(-1));
    }

    [Fact]
    public void Samples_are_in_millivolts_on_the_200_adu_per_mV_grid()
    {
        var monitor = new SyntheticMonitor(Options);
        var samples = monitor.Next(7200).Samples;
        Assert.All(samples, v => Assert.Equal(Math.Round(v * 200), v * 200, 3));
        Assert.InRange(samples.Max(), 0.5, 5);
        Assert.Equal(200, monitor.Lead.Gain);
        Assert.Equal("MLII", monitor.Lead.Description);
    }
}
