using EcgOrleans.Client.Scaling;

namespace EcgOrleans.Client.Tests;

public sealed class ScalingModelTests
{
    /// <summary>A point whose silos used exactly <paramref name="cpuPerBeat"/> CPU seconds per beat.</summary>
    private static ScalePoint Point(int silos, double cpuPerBeat, double seconds = 10, long beats = 10_000) =>
        new(silos, beats, seconds, [.. Enumerable.Repeat(cpuPerBeat * beats / silos, silos)], beats, 0, 0, [10f, 20f, 30f, 40f, 500f]);

    [Fact]
    public void The_fit_recovers_the_per_beat_cost_and_the_coordination_cost()
    {
        const double c1 = 0.001, delta = 0.0004;
        var points = new[] { 1, 2, 4 }.Select(n => Point(n, c1 + delta * (1 - 1.0 / n))).ToList();

        var model = ScalingModel.Fit(points, coresPerMachine: 2);

        Assert.Equal(c1, model.CpuSecondsPerBeat, 12);
        Assert.Equal(delta, model.CoordinationCpuSecondsPerBeat, 12);
        Assert.Equal(0.5, model.Utilisation, 12); // 10 CPU s over 10 s on 2 cores
    }

    [Fact]
    public void The_projection_is_linear_without_coordination_and_sublinear_with_it()
    {
        var free = ScalingModel.Fit([Point(1, 0.001), Point(2, 0.001)], 4);
        Assert.Equal(8 * free.Predict(1), free.Predict(8), 6);
        Assert.Equal(1, free.Efficiency(16), 9);

        var costly = ScalingModel.Fit([Point(1, 0.001), Point(2, 0.0015)], 4);
        Assert.True(costly.Predict(8) > costly.Predict(4));
        Assert.True(costly.Efficiency(8) < costly.Efficiency(2));
        // As M grows the per-beat cost tends to c1 + δ: efficiency tends to c1 / (c1 + δ).
        Assert.Equal(0.001 / 0.002, costly.Efficiency(100_000), 3);
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        var point = Point(1, 0.001);

        Assert.Equal(30, point.BatchP50);
        Assert.Equal(500, point.BatchP99);
        Assert.True(double.IsNaN(point with { BatchMilliseconds = [] } is var empty ? empty.BatchP50 : 0));
    }

    [Fact]
    public void A_fit_needs_one_silo()
    {
        Assert.Throws<ArgumentException>(() => ScalingModel.Fit([Point(2, 0.001)], 2));
    }
}
