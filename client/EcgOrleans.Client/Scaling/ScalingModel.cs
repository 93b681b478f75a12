namespace EcgOrleans.Client.Scaling;

/// <summary>One measured point of a scaling run.</summary>
/// <param name="Silos">Silos in the cluster.</param>
/// <param name="Beats">Beats scored.</param>
/// <param name="Seconds">Wall time of the ingest.</param>
/// <param name="SiloCpuSeconds">CPU time of each silo process during the ingest.</param>
/// <param name="Messages">Messages the silos sent during the ingest, local and remote (every call and response).</param>
/// <param name="RemoteMessages">Messages the silos sent to another process (silo or client).</param>
/// <param name="RemoteBytes">Bytes of those.</param>
/// <param name="BatchMilliseconds">Time each batch took to score and merge.</param>
public sealed record ScalePoint(int Silos, long Beats, double Seconds, IReadOnlyList<double> SiloCpuSeconds, long Messages, long RemoteMessages,
    long RemoteBytes, IReadOnlyList<float> BatchMilliseconds)
{
    public double BeatsPerSecond => Beats / Seconds;

    /// <summary>Live monitors streaming (live points only).</summary>
    public int? Monitors { get; init; }

    /// <summary>How far the live fleet was behind its schedule at the end (live points only).</summary>
    public TimeSpan? Lag { get; init; }

    public double CpuSecondsPerBeat => SiloCpuSeconds.Sum() / Beats;

    public double MessagesPerBeat => (double)Messages / Beats;

    public double RemoteMessagesPerBeat => (double)RemoteMessages / Beats;

    public double RemoteBytesPerBeat => (double)RemoteBytes / Beats;

    public double BatchP50 => Percentile(0.50);

    public double BatchP99 => Percentile(0.99);

    /// <summary>Nearest-rank percentile of the batch latencies (ms); NaN when none was measured.</summary>
    public double Percentile(double p)
    {
        if (BatchMilliseconds.Count == 0) return double.NaN;
        var sorted = BatchMilliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// What N machines would give, from what one machine measured. The work per beat is independent (each beat
/// is cut, scored and merged once), so throughput grows with cores, except for the work distribution adds:
/// messages that cross silos cost serialisation and network handling that a single silo does not pay.
/// <list type="bullet">
/// <item>c₁: CPU seconds per beat on one silo (all the silo's work: cutting, scoring, merging, Orleans).</item>
/// <item>δ: the extra CPU per beat when every message crosses silos. With n silos grains spread evenly, so a share
/// (1 − 1/n) of messages crosses; δ is fitted by least squares to cₙ − c₁ = δ (1 − 1/n) over the measured n.</item>
/// <item>Prediction for M machines of C cores: X(M) = M · C · u / (c₁ + δ (1 − 1/M)), u the core utilisation the
/// one-silo run reached.</item>
/// </list>
/// It leaves out what one machine cannot show: network latency and bandwidth (a batch is ~270 KB), and the
/// busiest class map (every batch merges into "reference/N"), which stays one grain until maps are sharded.
/// </summary>
public sealed record ScalingModel(double CpuSecondsPerBeat, double CoordinationCpuSecondsPerBeat, double Utilisation, int CoresPerMachine)
{
    public static ScalingModel Fit(IReadOnlyList<ScalePoint> points, int coresPerMachine)
    {
        var single = points.FirstOrDefault(p => p.Silos == 1) ?? throw new ArgumentException("the model needs a one-silo measurement");
        var c1 = single.CpuSecondsPerBeat;
        double num = 0, den = 0;
        foreach (var p in points.Where(p => p.Silos > 1))
        {
            var share = 1 - 1.0 / p.Silos;
            num += (p.CpuSecondsPerBeat - c1) * share;
            den += share * share;
        }
        var delta = den > 0 ? Math.Max(0, num / den) : 0;
        var utilisation = Math.Clamp(single.SiloCpuSeconds.Sum() / (single.Seconds * coresPerMachine), 0.05, 1);
        return new ScalingModel(c1, delta, utilisation, coresPerMachine);
    }

    public double Predict(int machines) =>
        machines * CoresPerMachine * Utilisation / (CpuSecondsPerBeat + CoordinationCpuSecondsPerBeat * (1 - 1.0 / machines));

    /// <summary>Throughput per machine at M machines relative to one machine.</summary>
    public double Efficiency(int machines) => Predict(machines) / (machines * Predict(1));
}
