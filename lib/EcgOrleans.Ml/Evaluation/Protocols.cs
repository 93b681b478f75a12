using EcgOrleans.Ml.Data;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Evaluation;

/// <summary>How beats are divided between training, epoch selection and test.</summary>
public enum SplitProtocol
{
    /// <summary>Stratified random split of the beats of DS1 + DS2: the same patients on both sides (what most papers report).</summary>
    Intra,

    /// <summary>de Chazal et al. (2004): train on DS1 records, test on DS2 records; no patient on both sides.</summary>
    Inter,
}

/// <summary>The three disjoint parts of a protocol and the records each one draws from.</summary>
public sealed record ProtocolSplit(
    SplitProtocol Protocol,
    BeatSet Training,
    BeatSet Validation,
    BeatSet Test,
    IReadOnlyList<string> TrainingRecords,
    IReadOnlyList<string> ValidationRecords,
    IReadOnlyList<string> TestRecords);

public static class Protocols
{
    /// <summary>Fraction of the beats held out for test in the intra-patient protocol.</summary>
    public const double IntraTestFraction = 0.2;

    /// <summary>Fraction of the remaining (training) beats held out for epoch selection in the intra-patient protocol.</summary>
    public const double IntraValidationFraction = 0.1;

    /// <summary>
    /// The intra-patient split is fixed, whatever the training seed, so that every intra model is tested on the same beats.
    /// </summary>
    public const int IntraSplitSeed = 2018;

    /// <summary>
    /// DS1 records held out of inter-patient training to select epochs on. Chosen for class coverage: together
    /// they hold about a quarter of DS1's V beats (119 bigeminy, 223, 124), a fifth of its S beats (220, 223, 124)
    /// and some F, and none of them is the main source of a class (208 for F, 209 for S stay in training).
    /// </summary>
    public static IReadOnlyList<string> InterValidationRecords { get; } = ["119", "124", "220", "223"];

    public static SplitProtocol Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "intra" => SplitProtocol.Intra,
        "inter" => SplitProtocol.Inter,
        _ => throw new ArgumentException($"unknown split '{name}': use intra or inter", nameof(name)),
    };

    public static string Name(SplitProtocol protocol) => protocol.ToString().ToLowerInvariant();

    /// <summary>Whether <paramref name="name"/> names a protocol, as <see cref="Parse"/> reads it.</summary>
    public static bool IsName(string name) => Enum.GetValues<SplitProtocol>().Any(p => Name(p) == name.Trim().ToLowerInvariant());

    /// <summary>Every record a protocol reads (DS1 + DS2 for both: the paced records stay out).</summary>
    public static IReadOnlyList<string> Records(SplitProtocol protocol) => [.. DatasetSplits.Ds1, .. DatasetSplits.Ds2];

    /// <summary>Divides the beats of <see cref="Records"/> (as loaded, in any record order) by the protocol.</summary>
    public static ProtocolSplit Split(SplitProtocol protocol, BeatSet beats, IReadOnlyList<string>? validationRecords = null) => protocol switch
    {
        SplitProtocol.Intra => Intra(beats),
        SplitProtocol.Inter => Inter(beats, validationRecords ?? InterValidationRecords),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    private static ProtocolSplit Intra(BeatSet beats)
    {
        var records = beats.Records.Distinct().Order(StringComparer.Ordinal).ToList();
        var (rest, test) = DatasetSplits.StratifiedSplit(beats.Labels, IntraTestFraction, IntraSplitSeed);
        var restSet = beats.Subset(rest);
        var (training, validation) = DatasetSplits.StratifiedSplit(restSet.Labels, IntraValidationFraction, IntraSplitSeed + 1);
        return new ProtocolSplit(SplitProtocol.Intra, restSet.Subset(training), restSet.Subset(validation), beats.Subset(test), records, records, records);
    }

    private static ProtocolSplit Inter(BeatSet beats, IReadOnlyList<string> validationRecords)
    {
        var unknown = validationRecords.Where(r => !DatasetSplits.Ds1.Contains(r)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"validation records must come from DS1 (never from the DS2 test records): {string.Join(", ", unknown)}", nameof(validationRecords));
        if (validationRecords.Count == 0 || validationRecords.Count >= DatasetSplits.Ds1.Count)
            throw new ArgumentException("hold out at least one DS1 record for validation and keep at least one for training", nameof(validationRecords));
        var training = DatasetSplits.Ds1.Except(validationRecords).ToList();
        var split = new ProtocolSplit(SplitProtocol.Inter,
            beats.OfRecords(training), beats.OfRecords(validationRecords), beats.OfRecords(DatasetSplits.Ds2),
            training, [.. validationRecords], DatasetSplits.Ds2);
        if (split.Training.Count == 0 || split.Test.Count == 0)
            throw new ArgumentException("the beats hold no DS1 or no DS2 records: load DS1 and DS2", nameof(beats));
        return split;
    }
}
