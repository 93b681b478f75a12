using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Tests;

namespace EcgOrleans.Ml.Tests;

public sealed class ProtocolTests
{
    private static readonly BeatSet AllRecords = BeatSet.FromBeats(
        SyntheticBeats.Make(440, 16, seed: 9, [.. DatasetSplits.Ds1, .. DatasetSplits.Ds2], AamiClass.N, AamiClass.S, AamiClass.V), 16, rhythmCount: 0);

    [Fact]
    public void Inter_patient_trains_on_ds1_selects_on_held_out_ds1_records_and_tests_on_ds2()
    {
        var split = Protocols.Split(SplitProtocol.Inter, AllRecords);
        Assert.All(split.Training.Records, r => Assert.Contains(r, DatasetSplits.Ds1));
        Assert.All(split.Training.Records, r => Assert.DoesNotContain(r, Protocols.InterValidationRecords));
        Assert.All(split.Validation.Records, r => Assert.Contains(r, Protocols.InterValidationRecords));
        Assert.All(split.Test.Records, r => Assert.Contains(r, DatasetSplits.Ds2));
        Assert.Equal(AllRecords.Count, split.Training.Count + split.Validation.Count + split.Test.Count);
        Assert.Equal(DatasetSplits.Ds2, split.TestRecords);
        Assert.Equal(DatasetSplits.Ds1.Count - Protocols.InterValidationRecords.Count, split.TrainingRecords.Count);
    }

    [Fact]
    public void Inter_patient_refuses_test_records_for_validation()
    {
        var error = Assert.Throws<ArgumentException>(() => Protocols.Split(SplitProtocol.Inter, AllRecords, ["101", "200"]));
        Assert.Contains("200", error.Message);
        Assert.Contains("DS1", error.Message);
    }

    [Fact]
    public void Intra_patient_parts_are_disjoint_stratified_and_fixed()
    {
        var indexed = AllRecords;
        var split = Protocols.Split(SplitProtocol.Intra, indexed);
        Assert.Equal(indexed.Count, split.Training.Count + split.Validation.Count + split.Test.Count);
        var counts = indexed.ClassCounts();
        var test = split.Test.ClassCounts();
        var validation = split.Validation.ClassCounts();
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(Math.Round(counts[c] * Protocols.IntraTestFraction), test[c]);
            Assert.Equal(Math.Round((counts[c] - test[c]) * Protocols.IntraValidationFraction), validation[c]);
        }
        // A synthetic beat is known by (record, sample, class): no beat may sit in two parts.
        static HashSet<string> Keys(BeatSet s) => [.. Enumerable.Range(0, s.Count).Select(i => $"{s.Records[i]}:{s.Samples[i]}:{s.Labels[i]}")];
        var (trainingKeys, validationKeys, testKeys) = (Keys(split.Training), Keys(split.Validation), Keys(split.Test));
        Assert.Equal(indexed.Count, trainingKeys.Count + validationKeys.Count + testKeys.Count);
        Assert.Empty(trainingKeys.Intersect(testKeys));
        Assert.Empty(trainingKeys.Intersect(validationKeys));
        Assert.Empty(validationKeys.Intersect(testKeys));
        var again = Protocols.Split(SplitProtocol.Intra, indexed);
        Assert.Equal(testKeys, Keys(again.Test));
    }

    [Theory]
    [InlineData("Intra", SplitProtocol.Intra)]
    [InlineData(" inter ", SplitProtocol.Inter)]
    public void Protocol_names_parse(string name, SplitProtocol expected) => Assert.Equal(expected, Protocols.Parse(name));

    [Fact]
    public void Unknown_protocol_is_named() =>
        Assert.Contains("'cross'", Assert.Throws<ArgumentException>(() => Protocols.Parse("cross")).Message);
}

[Trait("Category", "Data")]
public sealed class MitBihBeatsTests
{
    [Fact]
    public void Loads_annotated_beats_of_records_in_order_with_rhythm()
    {
        var set = MitBihBeats.Load(TestData.MitBihDirectory, ["100", "119"], BeatRepresentation.Kachuee, RhythmFeatures.RrCount);
        Assert.Equal(187, set.Length);
        Assert.Equal(4, set.RhythmCount);
        Assert.Equal(["100", "119"], set.Records.Distinct());
        var counts = set.ClassCounts();
        // 100: 2239 N, 33 A, 1 V; 119: 1543 N, 444 V (reference annotation counts of MIT-BIH).
        Assert.Equal(2239 + 1543, counts[(int)AamiClass.N]);
        Assert.Equal(33, counts[(int)AamiClass.S]);
        Assert.Equal(445, counts[(int)AamiClass.V]);
    }

    [Fact]
    public void Missing_directory_is_named()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => MitBihBeats.Load("/nonexistent/mitdb", ["100"], BeatRepresentation.Window, 0));
        Assert.Contains("/nonexistent/mitdb", error.Message);
    }
}
