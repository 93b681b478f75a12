using ScottPlot;

namespace EcgOrleans.Client.Scaling;

/// <summary>scale.png: measured beats/s per silo count here, and the projected beats/s per machine count.</summary>
internal static class ScalePlot
{
    public static void Write(string path, IReadOnlyList<ScalePoint> points, ScalingModel model)
    {
        var plot = new Plot();
        var measured = plot.Add.Scatter(points.Select(p => (double)p.Silos).ToArray(), points.Select(p => p.BeatsPerSecond).ToArray());
        measured.LegendText = "measured: silos on this machine";
        measured.MarkerSize = 9;
        var machines = ScaleReport.ProjectedMachines;
        var projected = plot.Add.Scatter(machines.Select(m => (double)m).ToArray(), machines.Select(m => model.Predict(m)).ToArray());
        projected.LegendText = $"projected: machines of {model.CoresPerMachine} cores";
        projected.LinePattern = LinePattern.Dashed;
        var ideal = plot.Add.Scatter(machines.Select(m => (double)m).ToArray(), machines.Select(m => m * model.Predict(1)).ToArray());
        ideal.LegendText = "linear";
        ideal.LinePattern = LinePattern.Dotted;
        ideal.MarkerSize = 0;
        plot.Axes.SetLimitsX(0.5, machines[^1] + 1);
        plot.Title("EcgOrleans scaling: beats/s with vanilla saliency");
        plot.XLabel("silos (measured) / machines (projected)");
        plot.YLabel("beats per second");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 560);
    }
}
