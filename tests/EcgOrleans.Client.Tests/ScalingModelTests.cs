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

public sealed class LiveProjectionTests
{
    // 2 cores at the planned utilisation, 0.5 CPU ms per beat alone and 0.1 ms more when every message crosses silos.
    private static readonly ScalingModel Model = new(CpuSecondsPerBeat: 0.0005, CoordinationCpuSecondsPerBeat: 0.0001,
        Utilisation: LiveProjection.TargetUtilisation, CoresPerMachine: 2);

    [Fact]
    public void Machines_are_the_fewest_whose_projected_throughput_carries_the_fleet()
    {
        var machines = LiveProjection.MachinesFor(100_000, Model);

        Assert.True(Model.Predict(machines) >= 100_000);
        Assert.True(Model.Predict(machines - 1) < 100_000);
        Assert.Equal(1, LiveProjection.MachinesFor(3_200, Model)); // one machine gives 3,200 beats/s
        Assert.Equal(2, LiveProjection.MachinesFor(3_201, Model));
    }

    [Fact]
    public void Redis_writes_grow_with_monitors_and_merges_only_with_silos()
    {
        var small = LiveProjection.For(10_000, Model, beatsPerMonitorSecond: 1.2, classMaps: 24, TimeSpan.FromMilliseconds(250));
        var large = LiveProjection.For(100_000, Model, beatsPerMonitorSecond: 1.2, classMaps: 24, TimeSpan.FromMilliseconds(250));

        Assert.Equal(12_000, small.BeatsPerSecond, 6);
        // One record-state write per chunk, plus one class-map write per merge.
        Assert.Equal(10_000 + small.MergesPerSecond, small.RedisWritesPerSecond, 6);
        Assert.Equal(small.Machines * 24 * 4, small.MergesPerSecond, 6);
        Assert.Equal(small.Machines * 4, small.MergesPerMapPerSecond, 6);
        Assert.Equal(large.Machines * 4, large.MergesPerMapPerSecond, 6);
        Assert.True(large.Machines > small.Machines);
    }

    [Fact]
    public void Machines_are_planned_at_the_target_utilisation_whatever_the_measured_run_reached()
    {
        var idle = Model with { Utilisation = 0.1 };

        Assert.Equal(LiveProjection.For(10_000, Model, 1.2, 24, TimeSpan.FromMilliseconds(250)).Machines,
            LiveProjection.For(10_000, idle, 1.2, 24, TimeSpan.FromMilliseconds(250)).Machines);
    }
}
