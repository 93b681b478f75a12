using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using EcgOrleans.Ml.Checkpoints;
using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Training;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands;

internal sealed class TrainCommand : Command<TrainCommand.Settings>
{
    internal sealed class Settings : CommandSettings
    {
        [CommandOption("--data <DIR>"), Description("Folder of the MIT-BIH Arrhythmia Database (100.hea, 100.dat, 100.atr, ...).")]
        public string? Data { get; init; }

        [CommandOption("--model <ARCH>"), Description("kachuee (Kachuee et al. 2018 residual CNN) or resnet (Hannun-style 1-D ResNet).")]
        public string Model { get; init; } = KachueeCnn.ArchitectureName;

        [CommandOption("--representation <REP>"), Description("window (256 samples at 360 Hz) or kachuee (187 at 125 Hz, zero-padded).")]
        public string Representation { get; init; } = "window";

        [CommandOption("--split <SPLIT>"), Description("intra (stratified beats of DS1+DS2) or inter (train DS1, test DS2).")]
        public string Split { get; init; } = "inter";

        [CommandOption("--epochs <N>")]
        public int Epochs { get; init; } = 20;

        [CommandOption("--seed <S>")]
        public int Seed { get; init; } = 1;

        [CommandOption("--out <FILE>"), Description("Checkpoint to write.")]
        public string? Out { get; init; }

        [CommandOption("--threads <T>"), Description("Torch threads (results are reproducible for a fixed count).")]
        public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

        [CommandOption("--batch <B>")]
        public int Batch { get; init; } = 128;

        [CommandOption("--epoch-beats <K>"), Description("Beats per epoch (default: the whole training set); with --balancing resample, drawn by class weight.")]
        public int EpochBeats { get; init; }

        [CommandOption("--augment"), Description("Perturb training beats: ±10 ms shift, ±10 % amplitude, small offset and noise.")]
        public bool Augment { get; init; }

        [CommandOption("--rate-jitter <F>"), Description("Multiply the average-RR feature of training beats by a factor in [1/F, F] (1: off), so that heart rate cannot name the patient.")]
        public double RateJitter { get; init; } = 1;

        [CommandOption("--average <DECAY>"), Description("Validate and keep an exponential moving average of the weights with this decay per step (0: off), e.g. 0.998.")]
        public double Average { get; init; }

        [CommandOption("--weight-decay <L2>")]
        public double WeightDecay { get; init; }

        [CommandOption("--lr <RATE>"), Description("Initial Adam learning rate (cosine decay to 5 % of it).")]
        public double LearningRate { get; init; } = 1e-3;

        [CommandOption("--balancing <HOW>"), Description("weighted (loss weights), resample (balanced draws) or none.")]
        public string Balancing { get; init; } = "weighted";

        [CommandOption("--balance-strength <A>"), Description("Class weight (n_max/n_c)^A: 0 none, 0.5 inverse square root (default), 1 fully balanced (capped at 50).")]
        public double BalanceStrength { get; init; } = 0.5;

        [CommandOption("--selection <METRIC>"), Description("Validation score that picks the epoch: macro-f1, v-f1 or accuracy.")]
        public string Selection { get; init; } = "macro-f1";

        [CommandOption("--patience <N>"), Description("Stop after N epochs without a better validation score (0: never).")]
        public int Patience { get; init; } = 6;

        [CommandOption("--no-rhythm"), Description("Waveform only: leave out the four RR-interval features.")]
        public bool NoRhythm { get; init; }

        [CommandOption("--waveform-dropout <P>"), Description("Share of training beats whose waveform is blanked, so that the model learns to use the beat features too (0: none).")]
        public double WaveformDropout { get; init; }

        [CommandOption("--morphology"), Description("Also take the two morphology features: amplitude over the record's average, distance from the record's template.")]
        public bool Morphology { get; init; }

        [CommandOption("--standardise-features"), Description("Standardise the beat features with their training-beat mean and spread (kept in the checkpoint).")]
        public bool StandardiseFeatures { get; init; }

        [CommandOption("--validation <RECORDS>"), Description("Inter-patient: DS1 records held out for epoch selection (comma separated).")]
        public string? ValidationRecords { get; init; }

        [CommandOption("--calibrate-class <CLASS>"), Description("After training, choose this class's decision bias on the validation beats (as ecg calibrate does).")]
        public string? CalibrateClass { get; init; }

        public override ValidationResult Validate()
        {
            if (CalibrateClass is not null && CalibrateCommand.ParseClass(CalibrateClass) is null)
                return ValidationResult.Error($"--calibrate-class '{CalibrateClass}' is not an AAMI class (N, S, V, F, Q)");
            if (Out is null) return ValidationResult.Error("--out FILE is required (where the checkpoint goes)");
            if (Epochs < 1) return ValidationResult.Error("--epochs must be at least 1");
            if (Threads < 1) return ValidationResult.Error("--threads must be at least 1");
            if (Batch < 2) return ValidationResult.Error("--batch must be at least 2");
            if (NoRhythm && Morphology) return ValidationResult.Error("--morphology needs the RR features that --no-rhythm leaves out");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        ResultTables.WidenWhenRedirected();
        BeatRepresentation representation;
        SplitProtocol protocol;
        TrainingOptions options;
        try
        {
            ModelFactory.Create(settings.Model, BeatRepresentation.Window.Length, 0).Dispose();
            representation = BeatRepresentation.Parse(settings.Representation);
            protocol = Protocols.Parse(settings.Split);
            options = new TrainingOptions
            {
                Epochs = settings.Epochs,
                BatchSize = settings.Batch,
                EpochBeats = settings.EpochBeats,
                Augmentation = (settings.Augment
                    ? BeatAugmentation.For(representation.SamplingFrequency, representation.Kind == RepresentationKind.Window ? 1 : 0.25)
                    : BeatAugmentation.None) with { RateFactor = settings.RateJitter, WaveformDropout = settings.WaveformDropout },
                WeightAverageDecay = settings.Average,
                WeightDecay = settings.WeightDecay,
                LearningRate = settings.LearningRate,
                Balancing = ParseBalancing(settings.Balancing),
                BalancingStrength = settings.BalanceStrength,
                Selection = ParseSelection(settings.Selection),
                StandardiseFeatures = settings.StandardiseFeatures,
                Patience = settings.Patience,
                Seed = settings.Seed,
                Threads = settings.Threads,
            };
            options.Validate();
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
        var architecture = settings.Model.Trim().ToLowerInvariant();
        if (MitBihData.Problem(settings.Data, Protocols.Records(protocol)) is { } problem) return MitBihData.Report(problem);

        var clock = Stopwatch.StartNew();
        var beats = MitBihBeats.Load(settings.Data!, Protocols.Records(protocol), representation, FeatureCount(settings));
        ProtocolSplit split;
        try
        {
            split = Protocols.Split(protocol, beats, settings.ValidationRecords is null ? null : MitBihData.Parse(settings.ValidationRecords));
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
        AnsiConsole.MarkupLine(
            $"{architecture} on {representation.Name} beats ({representation.Length} samples, {beats.RhythmCount} rhythm features), {Protocols.Name(protocol)}-patient: " +
            $"{split.Training.Count} training, {split.Validation.Count} validation, {split.Test.Count} test beats (loaded in {clock.Elapsed.TotalSeconds:F1} s)");
        if (protocol == SplitProtocol.Inter)
            AnsiConsole.MarkupLine($"validation records (held out of DS1): {string.Join(" ", split.ValidationRecords)}");
        AnsiConsole.MarkupLine($"training class counts: {Counts(split.Training)}; validation: {Counts(split.Validation)}");

        var result = TrainWithProgress(architecture, split, options, cancellation);
        using var model = result.Model;
        AnsiConsole.MarkupLine($"trained {result.EpochsRun} epochs in {result.Elapsed.TotalMinutes:F1} min; kept epoch {result.SelectedEpoch}");

        var predicted = Evaluator.Predict(model, split.Test);
        var test = Metrics.From(Evaluator.Confusion(split.Test.Labels, predicted));
        var command = CheckpointFile.CommandLine();
        var byRecord = protocol == SplitProtocol.Inter
            ? Evaluator.ConfusionByRecord(split.Test, predicted).ToDictionary(kv => kv.Key, kv => kv.Value.ToRows())
            : [];
        var metadata = new CheckpointMetadata
        {
            Architecture = architecture,
            Representation = representation.Name,
            WaveformLength = representation.Length,
            RhythmFeatureCount = beats.RhythmCount,
            RhythmFeatureNames = RhythmFeatures.NamesOf(beats.RhythmCount),
            Classes = [.. Aami.Classes.Select(c => c.ToString())],
            Protocol = Protocols.Name(protocol),
            TrainingRecords = split.TrainingRecords,
            ValidationRecords = split.ValidationRecords,
            TestRecords = split.TestRecords,
            Seed = settings.Seed,
            EpochsRun = result.EpochsRun,
            SelectedEpoch = result.SelectedEpoch,
            FeatureStandardisation = model.Standardisation,
            Training = new Dictionary<string, string>(options.Describe())
            {
                ["trainingBeats"] = split.Training.Count.ToString(CultureInfo.InvariantCulture),
                ["validationBeats"] = split.Validation.Count.ToString(CultureInfo.InvariantCulture),
                ["trainingSeconds"] = result.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture),
                ["intraSplitSeed"] = Protocols.IntraSplitSeed.ToString(CultureInfo.InvariantCulture),
                ["command"] = command,
            },
            Validation = result.Validation,
            Test = test,
            TestConfusionByRecord = byRecord,
            Created = DateTimeOffset.UtcNow,
            ToolVersion = Checkpoint.ToolVersion,
        };
        CalibrateCommand.Calibration? calibration = null;
        if (settings.CalibrateClass is not null)
        {
            calibration = CalibrateCommand.Calibrate(model, split, CalibrateCommand.ParseClass(settings.CalibrateClass)!.Value,
                DecisionBiasCalibration.DefaultLimit, DecisionBiasCalibration.DefaultStep);
            metadata = calibration.Annotate(metadata, protocol, split, command, DecisionBiasCalibration.DefaultLimit, DecisionBiasCalibration.DefaultStep);
        }
        Checkpoint.Save(settings.Out!, model, metadata);
        if (calibration is null)
        {
            AnsiConsole.Write(ResultTables.PerClass(result.Validation, $"validation (epoch {result.SelectedEpoch})"));
            AnsiConsole.Write(ResultTables.PerClass(test, $"test ({Protocols.Name(protocol)}-patient)"));
        }
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape(calibration.Describe()));
            AnsiConsole.Write(ResultTables.BeforeAfter(calibration.ValidationBefore, calibration.ValidationAfter, $"validation (epoch {result.SelectedEpoch}), before → after calibration"));
            AnsiConsole.Write(ResultTables.BeforeAfter(calibration.TestBefore, calibration.TestAfter, $"test ({Protocols.Name(protocol)}-patient), before → after calibration"));
        }
        AnsiConsole.Write(ResultTables.Confusion(metadata.Test!));
        AnsiConsole.MarkupLine($"checkpoint written: {Markup.Escape(settings.Out!)} ({new FileInfo(settings.Out!).Length / 1024.0:F0} KB)");
        return 0;
    }

    private static TrainingResult TrainWithProgress(string architecture, ProtocolSplit split, TrainingOptions options, CancellationToken cancellation)
    {
        var epochLines = new InlineProgress<TrainingProgress>(p =>
        {
            if (p.EpochDone is { } r) AnsiConsole.MarkupLine(EpochLine(r));
        });
        // A progress bar in a log file is a line per refresh: only a terminal gets one.
        if (!AnsiConsole.Profile.Capabilities.Interactive)
            return Trainer.Train(architecture, split.Training, split.Validation, options, epochLines, cancellation);

        TrainingResult? result = null;
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
                    if (p.EpochDone is { } r) AnsiConsole.MarkupLine(EpochLine(r));
                });
                result = Trainer.Train(architecture, split.Training, split.Validation, options, progress, cancellation);
                task.StopTask();
            });
        return result!;
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

    /// <summary>Beat features the model takes: none, the RR features, or those and the morphology features.</summary>
    private static int FeatureCount(Settings settings) =>
        settings.NoRhythm ? 0 : settings.Morphology ? RhythmFeatures.Count : RhythmFeatures.RrCount;

    private static string Counts(BeatSet set)
    {
        var counts = set.ClassCounts();
        return string.Join(" ", Aami.Classes.Select(c => $"{c}={counts[(int)c]}"));
    }

    private static ClassBalancing ParseBalancing(string name) => name.Trim().ToLowerInvariant() switch
    {
        "weighted" => ClassBalancing.WeightedLoss,
        "resample" => ClassBalancing.Resample,
        "none" => ClassBalancing.None,
        _ => throw new ArgumentException($"unknown --balancing '{name}': use weighted, resample or none"),
    };

    private static SelectionMetric ParseSelection(string name) => name.Trim().ToLowerInvariant() switch
    {
        "macro-f1" => SelectionMetric.MacroF1,
        "v-f1" => SelectionMetric.VentricularF1,
        "accuracy" => SelectionMetric.Accuracy,
        _ => throw new ArgumentException($"unknown --selection '{name}': use macro-f1, v-f1 or accuracy"),
    };

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
