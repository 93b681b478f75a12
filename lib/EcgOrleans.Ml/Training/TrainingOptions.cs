namespace EcgOrleans.Ml.Training;

/// <summary>How the class imbalance of MIT-BIH (about 90 % N) is countered.</summary>
public enum ClassBalancing
{
    /// <summary>Plain cross-entropy on the data as it is.</summary>
    None,

    /// <summary>Cross-entropy weighted per class (<see cref="TrainingOptions.BalancingStrength"/>).</summary>
    WeightedLoss,

    /// <summary>
    /// Plain cross-entropy, but each epoch draws its beats with replacement, a beat's chance in proportion to its
    /// class weight: the same class mix as <see cref="WeightedLoss"/> in expectation, with rare beats repeated instead of up-weighted.
    /// </summary>
    Resample,
}

/// <summary>What an epoch is scored by on the validation beats to pick the weights kept.</summary>
public enum SelectionMetric
{
    /// <summary>Mean F1 over the classes present in the validation beats.</summary>
    MacroF1,

    /// <summary>F1 of class V (the harmonic mean of its sensitivity and positive predictivity).</summary>
    VentricularF1,

    /// <summary>Overall accuracy (dominated by N: what intra-patient papers report).</summary>
    Accuracy,
}

public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 20;

    public int BatchSize { get; init; } = 128;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>
    /// Beats per epoch (0: the whole training set). Smaller epochs are validated more often, and with
    /// <see cref="ClassBalancing.Resample"/> they undersample the abundant N beats, which is what makes
    /// training affordable on two cores. Without resampling, successive epochs walk through one shuffled
    /// permutation, so every beat is still seen equally often.
    /// </summary>
    public int EpochBeats { get; init; }

    /// <summary>The learning rate decays along a cosine from <see cref="LearningRate"/> to this fraction of it over <see cref="Epochs"/>.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.05;

    public double WeightDecay { get; init; }

    /// <summary>Random perturbation of training waveforms (<see cref="BeatAugmentation.None"/>: none).</summary>
    public BeatAugmentation Augmentation { get; init; } = BeatAugmentation.None;

    /// <summary>
    /// Decay per step of an exponential moving average of the weights, which is then what gets validated and
    /// kept (0: no averaging, the raw weights are used).
    /// </summary>
    public double WeightAverageDecay { get; init; }

    public ClassBalancing Balancing { get; init; } = ClassBalancing.WeightedLoss;

    /// <summary>
    /// Class c weighs (n_max / n_c)^strength: 0 leaves the imbalance, 1 makes every class count as much as N
    /// (capped by <see cref="MaxClassWeight"/>), 0.5 (inverse square root) is in between.
    /// </summary>
    public double BalancingStrength { get; init; } = 0.5;

    /// <summary>Largest class weight relative to the most frequent class: keeps a class of a few beats (Q in DS1: 8) from being learnt by heart.</summary>
    public double MaxClassWeight { get; init; } = 50;

    public SelectionMetric Selection { get; init; } = SelectionMetric.MacroF1;

    /// <summary>Standardise the beat features with their training-beat mean and spread (<see cref="Models.FeatureStandardisation"/>).</summary>
    public bool StandardiseFeatures { get; init; }

    /// <summary>Stop after this many epochs without a better validation score (0: never stop early).</summary>
    public int Patience { get; init; } = 6;

    public int Seed { get; init; } = 1;

    /// <summary>Intra-op threads torch may use (results are reproducible for a fixed count).</summary>
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 2, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfNegative(Patience, nameof(Patience));
        ArgumentOutOfRangeException.ThrowIfNegative(EpochBeats, nameof(EpochBeats));
        if (EpochBeats == 1) throw new ArgumentOutOfRangeException(nameof(EpochBeats), EpochBeats, "an epoch needs at least 2 beats (or 0 for all)");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be a positive number");
        if (FinalLearningRateFraction is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(FinalLearningRateFraction), FinalLearningRateFraction, "must lie in (0, 1]");
        if (BalancingStrength is < 0 or > 1 || double.IsNaN(BalancingStrength))
            throw new ArgumentOutOfRangeException(nameof(BalancingStrength), BalancingStrength, "must lie in [0, 1]");
        if (!(MaxClassWeight >= 1) || !double.IsFinite(MaxClassWeight))
            throw new ArgumentOutOfRangeException(nameof(MaxClassWeight), MaxClassWeight, "must be at least 1");
        ArgumentNullException.ThrowIfNull(Augmentation, nameof(Augmentation));
        Augmentation.Validate();
        if (WeightAverageDecay is < 0 or >= 1 || double.IsNaN(WeightAverageDecay))
            throw new ArgumentOutOfRangeException(nameof(WeightAverageDecay), WeightAverageDecay, "must lie in [0, 1)");
        if (WeightDecay < 0 || !double.IsFinite(WeightDecay))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be zero or positive");
    }

    /// <summary>The settings as strings, for checkpoint metadata.</summary>
    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["epochs"] = Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["epochBeats"] = EpochBeats == 0 ? "all" : EpochBeats.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["batchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["learningRate"] = LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ["schedule"] = $"cosine to {FinalLearningRateFraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}x",
        ["weightDecay"] = WeightDecay.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ["optimizer"] = "Adam",
        ["augmentation"] = Augmentation.IsNone ? "none" : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"shift ±{Augmentation.MaxShift}, scale ±{Augmentation.ScaleRange}, offset ±{Augmentation.OffsetRange}, noise {Augmentation.NoiseStd}, average RR ×/÷ {Augmentation.RateFactor}, waveform blanked {Augmentation.WaveformDropout}"),
        ["weightAverageDecay"] = WeightAverageDecay.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ["balancing"] = Balancing.ToString(),
        ["balancingStrength"] = BalancingStrength.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ["maxClassWeight"] = MaxClassWeight.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ["selection"] = Selection.ToString(),
        ["standardiseFeatures"] = StandardiseFeatures ? "yes" : "no",
        ["patience"] = Patience.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["threads"] = Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
