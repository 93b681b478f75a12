namespace EcgOrleans.Client.Scaling;

/// <summary>
/// What a live fleet of a given size needs, from the live costs <c>ecg scale --live</c> measured: machines from the
/// fitted <see cref="ScalingModel"/> and the beats a monitor sends per second; Redis writes and class-map merges
/// from how the grains write. Assumptions: each monitor sends one chunk a second and every chunk ends at a commit
/// point (live chunks ask to flush), which writes the record's state once; each silo's publisher applies one epoch
/// per publish interval to every class map of the run (so merges do not grow with monitors, only with silos); the
/// run grain's progress writes are batched and left out; machines run at <see cref="TargetUtilisation"/>.
/// </summary>
internal sealed record LiveProjection(int Monitors, int Machines, double BeatsPerSecond, double RedisWritesPerSecond, double MergesPerSecond, double MergesPerMapPerSecond)
{
    public static readonly int[] ProjectedMonitors = [10_000, 100_000, 1_000_000];

    /// <summary>Class maps a run of a mixed fleet fills: 5 predicted, 5 reference and the confusion cells seen (bench/live.sh counted 24).</summary>
    public const int ClassMapsPerRun = 24;

    /// <summary>
    /// CPU share a machine is planned to run at. A live fleet's load is set by its monitors, not by how fast the silo
    /// goes, so the utilisation a measured run reached says nothing about capacity; headroom absorbs bursts and
    /// recoveries (a resumed monitor catches up at once).
    /// </summary>
    public const double TargetUtilisation = 0.8;

    /// <summary>The silo's default <c>Ecg:PublishInterval</c>.</summary>
    public static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(250);

    public static LiveProjection For(int monitors, ScalingModel model, double beatsPerMonitorSecond, int classMaps, TimeSpan publishInterval, double chunksPerMonitorSecond = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(monitors, 1);
        var beats = monitors * beatsPerMonitorSecond;
        var machines = MachinesFor(beats, model with { Utilisation = TargetUtilisation });
        var epochsPerSecond = 1 / publishInterval.TotalSeconds;
        var merges = machines * classMaps * epochsPerSecond;
        return new LiveProjection(monitors, machines, beats, monitors * chunksPerMonitorSecond + merges, merges, machines * epochsPerSecond);
    }

    /// <summary>The fewest machines whose projected throughput carries <paramref name="beatsPerSecond"/>.</summary>
    public static int MachinesFor(double beatsPerSecond, ScalingModel model)
    {
        // Predict grows with M and its per-machine rate only falls towards C·u / (c1 + δ): start from that bound's answer.
        var perMachine = model.CoresPerMachine * model.Utilisation / (model.CpuSecondsPerBeat + model.CoordinationCpuSecondsPerBeat);
        var machines = Math.Max(1, (int)Math.Ceiling(beatsPerSecond / perMachine));
        while (machines > 1 && model.Predict(machines - 1) >= beatsPerSecond) machines--;
        return machines;
    }
}
