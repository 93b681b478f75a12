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
