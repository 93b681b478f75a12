using EcgOrleans.Client.Commands.Cluster;
using EcgOrleans.Client.Commands.Hosting;
using EcgOrleans.Client.Commands.Offline;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client;

/// <summary>The <c>ecg</c> command line: its commands, in one place for the program and for tests that run it in-process.</summary>
internal static class EcgApp
{
    /// <param name="propagateExceptions">Tests see the exception itself instead of the printed "error: message".</param>
    public static CommandApp Create(bool propagateExceptions = false)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("ecg");
            if (propagateExceptions) config.PropagateExceptions();
            config.SetExceptionHandler((exception, _) =>
            {
                // Errors name what was wrong (record, file, field); a stack trace would bury that.
                var inner = exception is CommandAppException { InnerException: { } cause } ? cause : exception;
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {inner.Message}");
                return 1;
            });
            config.AddCommand<BeatsCommand>("beats").WithDescription("Beat counts per AAMI class, per record and in total.");
            config.AddCommand<IngestCommand>("ingest").WithDescription("Stream records into a run: beats are scored and merged into its class maps.");
            config.AddCommand<SimulateCommand>("simulate").WithDescription("Live synthetic monitors streaming into a run in real time (or faster): maps update within seconds.");
            config.AddCommand<MapsCommand>("maps").WithDescription("A run's class maps now: average beat coloured by saliency, rhythm share; table, JSON or PNG; two runs side by side with --compare.");
            config.AddCommand<WatchCommand>("watch").WithDescription("A live view of a run's class maps (and a second run's with --compare) as beats arrive.");
            config.AddCommand<DemoCommand>("demo").WithDescription("The whole system in one process: two bundled models analyse the same records, maps side by side, PNGs and a JSON report.");
            config.AddCommand<QrsCommand>("qrs").WithDescription("QRS detection scored beat by beat against reference annotations (bxb rules): Se and +P per record and gross.");
            config.AddCommand<ScaleCommand>("scale").WithDescription("The scaling analysis: beats/s, batch latency, CPU per silo and messages per beat for 1, 2, 4... silos here, and a projection to N machines.");
            config.AddCommand<SiloCommand>("silo").WithDescription("Run a silo in this process (no HTTP surfaces), for scaling runs and scripts.");
            config.AddCommand<TrainCommand>("train").WithDescription("Train a beat classifier on MIT-BIH (intra- or inter-patient) and write a checkpoint.");
            config.AddCommand<CalibrateCommand>("calibrate").WithDescription("Choose one class's decision bias on a checkpoint's validation records and write the calibrated checkpoint (same weights).");
            config.AddCommand<EnsembleCommand>("ensemble").WithDescription("Combine checkpoints trained alike (other seeds) into one ensemble checkpoint: mean logits, scored on their validation and test records.");
            config.AddCommand<EvaluateCommand>("evaluate").WithDescription("Per-class AAMI figures and confusion matrix of a checkpoint on MIT-BIH.");
            config.AddCommand<SynthCommand>("synth").WithDescription("Write a synthetic ECG database (ECGSYN model) as WFDB records.");
        });
        return app;
    }
}
