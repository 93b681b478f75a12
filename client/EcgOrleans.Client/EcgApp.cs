using EcgOrleans.Client.Commands.Cluster;
using EcgOrleans.Client.Commands.Hosting;
using EcgOrleans.Client.Commands.Offline;
using EcgOrleans.Client.Options;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client;

/// <summary>The <c>ecg</c> command line: its commands, in one place for the program and for tests that run it in-process.</summary>
internal sealed class EcgApp : ICommandApp
{
    private readonly CommandApp _app = new();
    private readonly Dictionary<string, Type> _settings = new(StringComparer.Ordinal);
    private readonly List<Action<IConfigurator>> _commands = [];
    private readonly bool _propagateExceptions;

    private EcgApp(bool propagateExceptions)
    {
        _propagateExceptions = propagateExceptions;
        Add<BeatsCommand>("beats", "Beat counts per AAMI class, per record and in total.");
        Add<IngestCommand>("ingest", "Stream records into a run: beats are scored and merged into its class maps.");
        Add<SimulateCommand>("simulate", "Live synthetic monitors streaming into a run in real time (or faster): maps update within seconds.");
        Add<MapsCommand>("maps", "A run's class maps now: average beat coloured by saliency, rhythm share; table, JSON or PNG; two runs side by side with --compare.");
        Add<WatchCommand>("watch", "A live view of a run's class maps (and a second run's with --compare) as beats arrive.");
        Add<DemoCommand>("demo", "The whole system in one process: two bundled models analyse the same records, maps side by side, PNGs and a JSON report.");
        Add<QrsCommand>("qrs", "QRS detection scored beat by beat against reference annotations (bxb rules): Se and +P per record and gross.");
        Add<ScaleCommand>("scale", "The scaling analysis: beats/s, batch latency, CPU per silo and messages per beat for 1, 2, 4... silos here, and a projection to N machines.");
        Add<SiloCommand>("silo", "Run a silo in this process (no HTTP surfaces), for scaling runs and scripts.");
        Add<TrainCommand>("train", "Train a beat classifier on MIT-BIH (intra- or inter-patient) and write a checkpoint.");
        Add<CalibrateCommand>("calibrate", "Choose one class's decision bias on a checkpoint's validation records and write the calibrated checkpoint (same weights).");
        Add<EnsembleCommand>("ensemble", "Combine checkpoints trained alike (other seeds) into one ensemble checkpoint: mean logits, scored on their validation and test records.");
        Add<FaithfulnessCommand>("faithfulness", "Which saliency method to trust: waveform-only deletion and insertion curves against random order per method and class, P/QRS/T shares, and the model-randomisation sanity check.");
        Add<EvaluateCommand>("evaluate", "A checkpoint scored on annotated WFDB records (any database, any rate): AAMI EC57 figures per class, gross and per record, confusion matrix.");
        Add<SynthCommand>("synth", "Write a synthetic ECG database (ECGSYN model) as WFDB records.");
        Add<FetchCommand>("fetch", "Download a PhysioNet database (or some of its records), every file verified against its SHA256SUMS.txt; resumes.");
        Add<ResampleCommand>("resample", "Write a WFDB copy of records at another sampling rate (anti-aliased; annotations moved to the nearest new sample).");
        _app.Configure(config =>
        {
            config.SetApplicationName("ecg");
            if (propagateExceptions) config.PropagateExceptions();
            config.SetExceptionHandler((exception, _) =>
            {
                // Errors name what was wrong (record, file, field); a stack trace would bury that.
                var inner = exception is CommandAppException { InnerException: { } cause } ? cause : exception;
                // Ctrl+C while a command waits: the wait it cut short is no error of its own.
                if (inner is OperationCanceledException) return Fail("interrupted", Interrupted);
                return Fail(inner.Message);
            });
            foreach (var add in _commands) add(config);
        });
    }

    /// <param name="propagateExceptions">Tests see the exception itself instead of the printed "error: message".</param>
    public static EcgApp Create(bool propagateExceptions = false) => new(propagateExceptions);

    public void Configure(Action<IConfigurator> configuration) => _app.Configure(configuration);

    public int Run(IEnumerable<string> args, CancellationToken cancellationToken = default) =>
        RunAsync(args, cancellationToken).GetAwaiter().GetResult();

    public Task<int> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken = default)
    {
        var list = args.ToList();
        // Spectre would pass an unknown option on unread; refuse it before the command runs.
        if (UnknownOptions.Find(list, _settings) is { } unknown)
            return _propagateExceptions ? Task.FromException<int>(new CommandOptionException(unknown)) : Task.FromResult(Fail(unknown));
        return _app.RunAsync(list, cancellationToken);
    }

    private void Add<TCommand>(string name, string description) where TCommand : class, ICommand
    {
        _settings[name] = SettingsOf(typeof(TCommand));
        _commands.Add(config => config.AddCommand<TCommand>(name).WithDescription(description));
    }

    /// <summary>The T of Command&lt;T&gt; or AsyncCommand&lt;T&gt; a command derives from.</summary>
    private static Type SettingsOf(Type command)
    {
        for (var type = command; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericArguments() is [var settings] && typeof(CommandSettings).IsAssignableFrom(settings)) return settings;
        }
        throw new InvalidOperationException($"{command.Name} takes no settings type");
    }

    /// <summary>The exit code of a command stopped by Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>An error on standard error, on one line: a log or a pipe gets it unwrapped, a terminal in red.</summary>
    private static int Fail(string message, int exitCode = 1)
    {
        if (Console.IsErrorRedirected) Console.Error.WriteLine($"error: {message}");
        else
        {
            var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            error.MarkupLineInterpolated($"[red]error:[/] {message}");
        }
        return exitCode;
    }
}
