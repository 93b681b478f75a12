using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Signal.Tests.Beats;

public sealed class MorphologyTrackerTests
{
    private static float[] Pulse(double centre, double scale = 1) =>
        [.. Enumerable.Range(0, 64).Select(t => (float)(scale * Math.Exp(-Math.Pow((t - centre) / 3.0, 2))))];

    [Fact]
    public void The_first_beat_is_its_own_template_and_its_own_average()
    {
        var tracker = new MorphologyTracker(64, ..);
        Assert.Equal((1f, 0f), tracker.Next(Pulse(20), amplitude: 0.7));
    }

    [Fact]
    public void A_beat_like_the_template_is_at_distance_zero_and_an_inverted_one_at_two()
    {
        var tracker = new MorphologyTracker(64, ..);
        for (var i = 0; i < 10; i++) tracker.Next(Pulse(20), 1);

        Assert.Equal(0, tracker.Next(Pulse(20), 1).TemplateDistance, 5);
        Assert.Equal(2, tracker.Next(Pulse(20, -1), 1).TemplateDistance, 5);
    }

    [Fact]
    public void Only_the_compared_span_counts_towards_the_distance()
    {
        var tracker = new MorphologyTracker(64, 10..30);
        for (var i = 0; i < 10; i++) tracker.Next(Pulse(20), 1);
        var changedOutside = Pulse(20);
        for (var t = 40; t < 64; t++) changedOutside[t] = 5;

        Assert.Equal(0, tracker.Next(changedOutside, 1).TemplateDistance, 5);
        Assert.True(tracker.Next(Pulse(26), 1).TemplateDistance > 0.3, "a shifted QRS is unlike the template");
    }

    [Theory]
    [InlineData("window", 60, 133)]
    [InlineData("kachuee", 0, 13)]
    public void Beats_are_compared_over_the_QRS_complex(string representation, int start, int end)
    {
        var span = BeatSegmenter.QrsSpan(BeatRepresentation.Parse(representation));
        Assert.Equal((start, end - start), span.GetOffsetAndLength(BeatRepresentation.Parse(representation).Length));
    }

    [Fact]
    public void Amplitude_is_relative_to_the_mean_of_the_records_beats_including_this_one()
    {
        var tracker = new MorphologyTracker(64, ..);
        tracker.Next(Pulse(20), 1);
        tracker.Next(Pulse(20), 1);
        tracker.Next(Pulse(20), 1);

        // Mean of 1, 1, 1 and 5 is 2.
        Assert.Equal(2.5f, tracker.Next(Pulse(20), 5).Amplitude, 5);
    }

    [Fact]
    public void Irregular_beats_are_compared_but_do_not_shape_the_template()
    {
        var gated = new MorphologyTracker(64, ..);
        var open = new MorphologyTracker(64, ..);
        for (var i = 0; i < 10; i++)
        {
            gated.Next(Pulse(20), 1);
            open.Next(Pulse(20), 1);
            gated.Next(Pulse(40), 1, regular: false);
            open.Next(Pulse(40), 1, regular: true);
        }

        Assert.Equal(0, gated.Next(Pulse(20), 1).TemplateDistance, 5);
        Assert.True(open.Next(Pulse(20), 1).TemplateDistance > 0.2, "a template fed the other shape drifts towards it");
    }

    [Fact]
    public void A_saved_tracker_resumes_exactly()
    {
        var tracker = new MorphologyTracker(64, ..);
        var random = new Random(3);
        for (var i = 0; i < 50; i++) tracker.Next(Pulse(15 + random.Next(10)), 0.5 + random.NextDouble(), random.Next(4) > 0);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) tracker.Save(w);
        stream.Position = 0;
        var restored = MorphologyTracker.Load(new BinaryReader(stream), 64, ..);

        for (var i = 0; i < 20; i++)
        {
            var (beat, amplitude, regular) = (Pulse(15 + random.Next(10)), 0.5 + random.NextDouble(), random.Next(4) > 0);
            Assert.Equal(tracker.Next(beat, amplitude, regular), restored.Next(beat, amplitude, regular));
        }
    }

    [Fact]
    public void A_snapshot_for_another_length_or_a_beat_of_another_length_is_refused()
    {
        var tracker = new MorphologyTracker(64, ..);
        tracker.Next(Pulse(20), 1);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) tracker.Save(w);
        stream.Position = 0;

        Assert.Throws<InvalidDataException>(() => MorphologyTracker.Load(new BinaryReader(stream), 128, ..));
        Assert.Contains("63 samples", Assert.Throws<ArgumentException>(() => tracker.Next(new float[63], 1)).Message);
    }
}
