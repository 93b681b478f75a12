using System.Globalization;
using EcgOrleans.Client.Evaluation;
using EcgOrleans.Ml.Training;
using EcgOrleans.Signal.Beats;
using Spectre.Console;

namespace EcgOrleans.Client.Training;

/// <summary>A training run on the console: a line per epoch, and in a terminal a progress bar over the epoch's batches.</summary>
internal static class TrainingDisplay
{
    public static TrainingOutcome Run(TrainingRun run, string checkpointPath, CancellationToken cancellation)
    {
        // A progress bar in a log file is a line per refresh: only a terminal gets one.
        if (!AnsiConsole.Profile.Capabilities.Interactive)
            return run.Run(checkpointPath, new InlineProgress<TrainingProgress>(PrintEpoch), cancellation);

        TrainingOutcome? outcome = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("epoch 1", maxValue: 1);
                var progress = new InlineProgress<TrainingProgress>(p =>
                {
                    task.Description = $"epoch {p.Epoch}/{p.Epochs}";
                    task.MaxValue = p.Batches;
                    task.Value = p.Batch;
                    PrintEpoch(p);
                });
                outcome = run.Run(checkpointPath, progress, cancellation);
                task.StopTask();
            });
        return outcome!;
    }

    /// <summary>"N=... S=..." of a beat set.</summary>
    public static string Counts(Ml.Data.BeatSet set)
    {
        var counts = set.ClassCounts();
        return string.Join(" ", Aami.Classes.Select(c => $"{c}={counts[(int)c]}"));
    }

    private static void PrintEpoch(TrainingProgress p)
    {
        if (p.EpochDone is { } r) AnsiConsole.MarkupLine(EpochLine(r));
    }

    private static string EpochLine(EpochReport r)
    {
        var v = r.Validation[AamiClass.V];
        var s = r.Validation[AamiClass.S];
        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Epoch,3}/{r.Epochs}  lr {r.LearningRate:0.00e0}  loss {r.TrainingLoss:F4}  train acc {100 * r.TrainingAccuracy:F2} %  " +
            $"val acc {100 * r.Validation.Accuracy:F2} %  macro-F1 {ResultTables.Percent(r.Validation.MacroF1)}  " +
            $"V Se {ResultTables.Percent(v.Sensitivity)} +P {ResultTables.Percent(v.PositivePredictivity)}  " +
            $"S Se {ResultTables.Percent(s.Sensitivity)} +P {ResultTables.Percent(s.PositivePredictivity)}  {r.Elapsed.TotalSeconds:F0} s");
        return Markup.Escape(line) + (r.Improved ? " [green]*[/]" : "");
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
