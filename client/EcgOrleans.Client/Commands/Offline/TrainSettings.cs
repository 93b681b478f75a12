using System.ComponentModel;
using EcgOrleans.Client.Data;
using EcgOrleans.Client.Options;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Models;
using EcgOrleans.Ml.Training;
using EcgOrleans.Signal.Beats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EcgOrleans.Client.Commands.Offline;

/// <summary>The options of <c>ecg train</c>.</summary>
internal sealed class TrainSettings : CommandSettings
{
    [CommandOption("--data <DIR>"), Description("Folder of the MIT-BIH Arrhythmia Database (100.hea, 100.dat, 100.atr, ...).")]
    public string? Data { get; init; }

    [CommandOption("--model <ARCH>"), Description("kachuee (Kachuee et al. 2018 residual CNN; the default) or resnet (Hannun-style 1-D ResNet).")]
    public string Model { get; init; } = KachueeCnn.ArchitectureName;

    [CommandOption("--representation <REP>"), Description("Beats: window (256 samples at 360 Hz; the default) or kachuee (the paper's 187 at 125 Hz, zero-padded; not the --model of that name).")]
    public string Representation { get; init; } = "window";

    [CommandOption("--protocol <PROTOCOL>"), Description(ProtocolOption.Description + " Default inter.")]
    public string? Protocol { get; init; }

    [CommandOption("--split <SPLIT>", IsHidden = true), Description("Deprecated name of --protocol.")]
    public string? Split { get; init; }

    [CommandOption("--epochs <N>"), Description("Training epochs at most (default 20; --patience may stop sooner).")]
    public int Epochs { get; init; } = 20;

    [CommandOption("--seed <S>"), Description("Seed of the weights, the draws and the validation records (default 1).")]
    public int Seed { get; init; } = 1;

    [CommandOption("--out <FILE>"), Description("Checkpoint to write.")]
    public string? Out { get; init; }

    [CommandOption("--threads <T>"), Description("Torch threads (default: one per core; results are reproducible for a fixed count).")]
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    [CommandOption("--batch <B>"), Description("Beats per training batch (default 128).")]
    public int Batch { get; init; } = 128;

    [CommandOption("--epoch-beats <K>"), Description("Beats per epoch (default: the whole training set); with --balancing resample, drawn by class weight.")]
    public int EpochBeats { get; init; }

    [CommandOption("--augment"), Description("Perturb training beats: ±10 ms shift, ±10 % amplitude, small offset and noise.")]
    public bool Augment { get; init; }

    [CommandOption("--rate-jitter <F>"), Description("Multiply the average-RR feature of training beats by a factor in [1/F, F] (default 1: off), so that heart rate cannot name the patient.")]
    public double RateJitter { get; init; } = 1;

    [CommandOption("--average <DECAY>"), Description("Validate and keep an exponential moving average of the weights with this decay per step (0: off), e.g. 0.998.")]
    public double Average { get; init; }

    [CommandOption("--weight-decay <L2>"), Description("L2 weight decay of Adam (default 0: none).")]
    public double WeightDecay { get; init; }

    [CommandOption("--lr <RATE>"), Description("Initial Adam learning rate (default 0.001; cosine decay to 5 % of it).")]
    public double LearningRate { get; init; } = 1e-3;

    [CommandOption("--balancing <HOW>"), Description("weighted (loss weights; the default), resample (balanced draws) or none.")]
    public string Balancing { get; init; } = "weighted";

    [CommandOption("--balance-strength <A>"), Description("Class weight (n_max/n_c)^A: 0 none, 0.5 inverse square root (default), 1 fully balanced (capped at 50).")]
    public double BalanceStrength { get; init; } = 0.5;

    [CommandOption("--selection <METRIC>"), Description("Validation score that picks the epoch: macro-f1 (the default), v-f1 or accuracy.")]
    public string Selection { get; init; } = "macro-f1";

    [CommandOption("--patience <N>"), Description("Stop after N epochs without a better validation score (default 6; 0: never).")]
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
        if (CalibrateClass is not null && ClassOption.Parse(CalibrateClass) is null)
            return ValidationResult.Error($"--calibrate-class '{CalibrateClass}' {ClassOption.Error}");
        if (Out is null) return ValidationResult.Error("--out FILE is required (where the checkpoint goes)");
        if (ProtocolOption.Problem(Protocol, Split) is { } problem) return ValidationResult.Error(problem);
        if (Split is not null && !ProtocolOption.IsOldName(Split))
            return ValidationResult.Error($"--split {Split}: ecg train takes --protocol intra|inter (record sets such as ds1 are for beats, ingest and evaluate)");
        if (Epochs < 1) return ValidationResult.Error("--epochs must be at least 1");
        if (Threads < 1) return ValidationResult.Error("--threads must be at least 1");
        if (Batch < 2) return ValidationResult.Error("--batch must be at least 2");
        if (NoRhythm && Morphology) return ValidationResult.Error("--morphology needs the RR features that --no-rhythm leaves out");
        return ValidationResult.Success();
    }
    /// <summary>The run the options describe; a bad name (model, representation, split, balancing) is an <see cref="ArgumentException"/>.</summary>
    public TrainingPlan ToPlan(string command)
    {
        var representation = BeatRepresentation.Parse(Representation);
        var augmentation = Augment
            ? BeatAugmentation.For(representation.SamplingFrequency, representation.Kind == RepresentationKind.Window ? 1 : 0.25)
            : BeatAugmentation.None;
        return new TrainingPlan
        {
            Architecture = Model.Trim().ToLowerInvariant(),
            Representation = representation,
            Protocol = Protocols.Parse(ProtocolOption.Resolve(Protocol, Split) ?? "inter"),
            RhythmFeatureCount = NoRhythm ? 0 : Morphology ? RhythmFeatures.Count : RhythmFeatures.RrCount,
            ValidationRecords = ValidationRecords is null ? null : MitBihData.Parse(ValidationRecords),
            CalibrateClass = CalibrateClass is null ? null : ClassOption.Parse(CalibrateClass),
            Command = command,
            Options = new TrainingOptions
            {
                Epochs = Epochs,
                BatchSize = Batch,
                EpochBeats = EpochBeats,
                Augmentation = augmentation with { RateFactor = RateJitter, WaveformDropout = WaveformDropout },
                WeightAverageDecay = Average,
                WeightDecay = WeightDecay,
                LearningRate = LearningRate,
                Balancing = ParseBalancing(Balancing),
                BalancingStrength = BalanceStrength,
                Selection = ParseSelection(Selection),
                StandardiseFeatures = StandardiseFeatures,
                Patience = Patience,
                Seed = Seed,
                Threads = Threads,
            },
        };
    }

    private static ClassBalancing ParseBalancing(string name) => NamedChoice.Parse("--balancing", name,
        ("weighted", ClassBalancing.WeightedLoss), ("resample", ClassBalancing.Resample), ("none", ClassBalancing.None));

    private static SelectionMetric ParseSelection(string name) => NamedChoice.Parse("--selection", name,
        ("macro-f1", SelectionMetric.MacroF1), ("v-f1", SelectionMetric.VentricularF1), ("accuracy", SelectionMetric.Accuracy));
}
