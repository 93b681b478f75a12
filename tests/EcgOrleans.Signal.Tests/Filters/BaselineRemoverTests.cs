using EcgOrleans.Signal.Filters;

namespace EcgOrleans.Signal.Tests.Filters;

public sealed class BaselineRemoverTests
{
    private static float[] Filter(float[] x, int chunk, double fs = 360)
    {
        var remover = new BaselineRemover(fs);
        var output = new List<float>();
        for (var at = 0; at < x.Length; at += chunk) remover.Push(x.AsSpan(at, Math.Min(chunk, x.Length - at)), output);
        remover.Complete(output);
        return [.. output];
    }

    [Fact]
    public void Removes_a_slow_wander_and_keeps_narrow_spikes()
    {
        const double fs = 360;
        var x = new float[3600];
        for (var n = 0; n < x.Length; n++)
        {
            var wander = 0.8 * Math.Sin(2 * Math.PI * 0.2 * n / fs) + 0.5;
            var spike = n % 300 == 150 ? 1.5 : 0;
            x[n] = (float)(wander + spike);
        }

        var y = Filter(x, 777);

        Assert.Equal(x.Length, y.Length);
        var quiet = Enumerable.Range(400, 3000).Where(n => n % 300 != 150).Select(n => Math.Abs(y[n]));
        Assert.True(quiet.Max() < 0.02, $"residual wander {quiet.Max()}");
        Assert.All(Enumerable.Range(2, 10).Select(k => y[k * 300 + 150]), v => Assert.InRange(v, 1.45, 1.55));
    }

    [Fact]
    public void Gives_the_same_output_for_any_chunking_and_holds_missing_samples()
    {
        var random = new Random(3);
        var x = Enumerable.Range(0, 5000).Select(_ => (float)random.NextDouble()).ToArray();
        x[1000] = float.NaN;
        x[1001] = float.PositiveInfinity;

        var whole = Filter(x, x.Length);

        Assert.Equal(whole, Filter(x, 1));
        Assert.Equal(whole, Filter(x, 97));
        Assert.All(whole, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Removers_that_take_turns_on_one_thread_give_what_each_gives_alone()
    {
        // Their block buffers are shared per thread: nothing of one may leak into the other.
        var random = new Random(5);
        var a = Enumerable.Range(0, 9000).Select(_ => (float)random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 3000).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        var first = new BaselineRemover(360);
        var second = new BaselineRemover(128);
        List<float> outA = [], outB = [];
        for (var k = 0; k < 9; k++)
        {
            first.Push(a.AsSpan(k * 1000, 1000), outA);
            second.Push(b.AsSpan(k * 333, 333), outB);
        }
        second.Push(b.AsSpan(2997), outB);
        first.Complete(outA);
        second.Complete(outB);

        Assert.Equal(Filter(a, a.Length), outA);
        Assert.Equal(Filter(b, b.Length, fs: 128), outB);
    }

    [Fact]
    public void Reports_its_lag_for_200_and_600_ms_windows()
    {
        Assert.Equal(36 + 108, new BaselineRemover(360).Lag);
    }
}
