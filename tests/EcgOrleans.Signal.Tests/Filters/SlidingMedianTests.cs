using EcgOrleans.Signal.Filters;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgOrleans.Signal.Tests.Filters;

public sealed class SlidingMedianTests
{
    /// <summary>The definition: median of x[n-h..n+h] with the ends padded by the first and last sample.</summary>
    private static float[] NaiveMedian(float[] x, int h)
    {
        var result = new float[x.Length];
        for (var n = 0; n < x.Length; n++)
        {
            var window = new float[2 * h + 1];
            for (var k = -h; k <= h; k++) window[k + h] = x[Math.Clamp(n + k, 0, x.Length - 1)];
            Array.Sort(window);
            result[n] = window[h];
        }
        return result;
    }

    private static float[] Streamed(float[] x, int h, IEnumerable<int> chunkSizes)
    {
        var median = new SlidingMedian(h);
        var output = new List<float>();
        var at = 0;
        foreach (var size in chunkSizes)
        {
            if (at >= x.Length) break;
            var n = Math.Min(size, x.Length - at);
            median.Push(x.AsSpan(at, n), output);
            at += n;
        }
        if (at < x.Length) median.Push(x.AsSpan(at), output);
        median.Complete(output);
        return [.. output];
    }

    [Property(MaxTest = 300)]
    public Property Equals_the_definition_for_any_input_and_chunking(NonEmptyArray<short> values, PositiveInt half, PositiveInt[] chunks)
    {
        var x = values.Get.Select(v => v / 16f).ToArray();
        var h = half.Get % 40;
        var streamed = Streamed(x, h, chunks.Select(c => c.Get % 50 + 1));
        return streamed.SequenceEqual(NaiveMedian(x, h)).Label($"h={h}, n={x.Length}");
    }

    /// <summary>Chunks of random sizes, with the filter saved and restored from its snapshot now and then.</summary>
    private static float[] StreamedWithRestarts(float[] x, int h, int seed)
    {
        var random = new Random(seed);
        var median = new SlidingMedian(h);
        var output = new List<float>();
        for (var at = 0; at < x.Length;)
        {
            var n = Math.Min(x.Length - at, random.Next(1, 3000));
            median.Push(x.AsSpan(at, n), output);
            at += n;
            if (random.Next(3) == 0) median = Restored(median);
        }
        median.Complete(output);
        return [.. output];
    }

    private static SlidingMedian Restored(SlidingMedian median)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) median.Save(writer);
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        return SlidingMedian.Load(reader);
    }

    [Theory]
    [InlineData(36)]
    [InlineData(108)]
    public void Counts_levels_through_a_recording_whose_range_drifts_far_beyond_its_level_table(int h)
    {
        // An ADC-like signal: integer steps / 200, drifting up one step every 5 samples with noise of ±3 steps,
        // so the stream shows 3x more distinct values than the level table holds, but each window only a few.
        var random = new Random(h);
        var x = Enumerable.Range(0, 60_000).Select(n => (n / 5 + random.Next(-3, 4)) / 200f).ToArray();
        var median = new SlidingMedian(h);
        median.Push(x, new List<float>());

        Assert.True(median.CountsLevels, "a slowly drifting recording fell back to sorting");
        Assert.Equal(NaiveMedian(x, h), StreamedWithRestarts(x, h, seed: h));
    }

    [Theory]
    [InlineData(36)]
    [InlineData(108)]
    public void Switches_to_sorting_for_a_stream_of_ever_new_values_and_stays_exact(int h)
    {
        var random = new Random(h);
        var x = Enumerable.Range(0, 20_000).Select(_ => (float)random.NextDouble()).ToArray();
        var median = new SlidingMedian(h);
        median.Push(x, new List<float>());

        Assert.False(median.CountsLevels, "a stream of distinct floats is still kept as counts");
        Assert.Equal(NaiveMedian(x, h), StreamedWithRestarts(x, h, seed: h));
    }

    [Property(MaxTest = 200)]
    public Property Ties_and_signed_zeros_give_the_definition(NonEmptyArray<sbyte> values, PositiveInt half)
    {
        // Few distinct values, many ties, and -0 beside +0 (equal as floats, different as bits).
        var x = values.Get.Select(v => v == 0 ? -0f : v % 4 / 2f).ToArray();
        var h = half.Get % 12;
        return Streamed(x, h, [x.Length]).Select(v => v == 0 ? 0 : v).SequenceEqual(NaiveMedian(x, h).Select(v => v == 0 ? 0 : v))
            .Label($"h={h}, n={x.Length}");
    }

    [Fact]
    public void Refuses_an_output_span_with_less_room_than_a_median_per_sample()
    {
        var median = new SlidingMedian(3);
        var error = Assert.Throws<ArgumentException>(() => median.Push(new float[10], new float[9]));
        Assert.Contains("room for 9 medians, 10 may come", error.Message);
        Assert.Throws<ArgumentException>(() => median.Complete(new float[2]));
    }

    [Fact]
    public void Has_a_lag_of_its_half_width()
    {
        var median = new SlidingMedian(5);
        var output = new List<float>();
        median.Push(new float[5], output);
        Assert.Empty(output);
        median.Push(new float[1], output);
        Assert.Single(output);
    }
}
