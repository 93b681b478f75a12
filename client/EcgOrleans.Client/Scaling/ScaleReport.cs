using System.Globalization;
using Spectre.Console;

namespace EcgOrleans.Client.Scaling;

/// <summary>What `ecg scale` writes: the measured points and the projection, as JSON and as tables.</summary>
internal sealed record ScaleReport(
    string Dataset,
    string Model,
    string LoadAverage,
    int CoresHere,
    IReadOnlyList<ScaleReport.Measured> Points,
    ScaleReport.Fitted Projection)
{
    public static readonly int[] ProjectedMachines = [1, 2, 4, 8, 16, 32];

    public sealed record Measured(int Silos, long Beats, double Seconds, double BeatsPerSecond, double BatchP50Ms, double BatchP99Ms,
        IReadOnlyList<double> SiloCpuSeconds, double CpuMsPerBeat, double MessagesPerBeat, double RemoteMessagesPerBeat, double RemoteBytesPerBeat);

    public sealed record Fitted(double CpuMsPerBeat, double CoordinationCpuMsPerBeat, double Utilisation, int CoresPerMachine,
        IReadOnlyList<Projected> Machines, string Assumptions);

    public sealed record Projected(int Machines, double BeatsPerSecond, double Efficiency);

    public static ScaleReport Create(IReadOnlyList<ScalePoint> points, ScalingModel model, string dataset, string modelName, string load) =>
        new(dataset, modelName, load, Environment.ProcessorCount,
            [.. points.Select(p => new Measured(p.Silos, p.Beats, p.Seconds, p.BeatsPerSecond, p.BatchP50, p.BatchP99,
                p.SiloCpuSeconds, p.CpuSecondsPerBeat * 1000, p.MessagesPerBeat, p.RemoteMessagesPerBeat, p.RemoteBytesPerBeat))],
            new Fitted(model.CpuSecondsPerBeat * 1000, model.CoordinationCpuSecondsPerBeat * 1000, model.Utilisation, model.CoresPerMachine,
                [.. ProjectedMachines.Select(m => new Projected(m, model.Predict(m), model.Efficiency(m)))],
                "X(M) = M·C·u / (c1 + δ(1 − 1/M)): per-beat work is independent; distribution adds δ CPU per beat when every message " +
                "crosses silos, a share (1 − 1/M) of them does; network latency/bandwidth and the busiest class-map grain are not modelled."));

    public static Table MeasuredTable(IReadOnlyList<ScalePoint> points)
    {
        var table = new Table().Title("measured on this machine").AddColumns("silos", "beats/s", "batch p50 ms", "batch p99 ms",
            "CPU s per silo", "CPU ms/beat", "messages/beat", "remote msgs/beat", "remote bytes/beat");
        foreach (var p in points)
        {
            table.AddRow(p.Silos.ToString(CultureInfo.InvariantCulture), F(p.BeatsPerSecond, "#,0"), F(p.BatchP50, "0"), F(p.BatchP99, "0"),
                string.Join(" ", p.SiloCpuSeconds.Select(c => F(c, "0.0"))), F(p.CpuSecondsPerBeat * 1000, "0.00"), F(p.MessagesPerBeat, "0.00"),
                F(p.RemoteMessagesPerBeat, "0.00"), F(p.RemoteBytesPerBeat, "#,0"));
        }
        return table;
    }

    public static Table ProjectionTable(ScalingModel model)
    {
        var table = new Table()
            .Title($"projection: c1 = {F(model.CpuSecondsPerBeat * 1000, "0.00")} CPU ms/beat, coordination δ = {F(model.CoordinationCpuSecondsPerBeat * 1000, "0.00")} ms/beat, {model.CoresPerMachine} cores at {model.Utilisation:P0}")
            .AddColumns("machines", "beats/s", "per-machine efficiency");
        foreach (var m in ProjectedMachines) table.AddRow(m.ToString(CultureInfo.InvariantCulture), F(model.Predict(m), "#,0"), model.Efficiency(m).ToString("P0", CultureInfo.InvariantCulture));
        return table;
    }

    private static string F(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);
}
