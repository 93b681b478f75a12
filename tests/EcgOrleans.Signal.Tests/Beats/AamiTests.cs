using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Tests.Beats;

public sealed class AamiTests
{
    [Theory]
    [InlineData("N", AamiClass.N)]
    [InlineData("L", AamiClass.N)]
    [InlineData("R", AamiClass.N)]
    [InlineData("e", AamiClass.N)]
    [InlineData("j", AamiClass.N)]
    [InlineData("A", AamiClass.S)]
    [InlineData("a", AamiClass.S)]
    [InlineData("J", AamiClass.S)]
    [InlineData("S", AamiClass.S)]
    [InlineData("V", AamiClass.V)]
    [InlineData("E", AamiClass.V)]
    [InlineData("F", AamiClass.F)]
    [InlineData("/", AamiClass.Q)]
    [InlineData("f", AamiClass.Q)]
    [InlineData("Q", AamiClass.Q)]
    public void Beat_codes_map_to_their_AAMI_class(string mnemonic, AamiClass expected)
    {
        Assert.True(AnnotationCodes.TryParse(mnemonic, out var code));
        Assert.Equal(expected, Aami.FromCode(code));
    }

    [Fact]
    public void Every_other_code_is_not_a_beat_of_any_class()
    {
        var mapped = Enumerable.Range(0, AnnotationCodes.MaxDefined + 1)
            .Where(AnnotationCodes.IsDefined)
            .Count(c => Aami.FromCode((AnnotationCode)c) is not null);

        Assert.Equal(15, mapped);
        Assert.Null(Aami.FromCode(AnnotationCode.Rhythm));
        Assert.Null(Aami.FromCode(AnnotationCode.FlutterWave));
        Assert.Null(Aami.FromCode(AnnotationCode.NonConductedPWave));
    }

    [Fact]
    public void Splits_are_de_Chazal_with_the_paced_records_apart()
    {
        Assert.Equal(22, DatasetSplits.Ds1.Count);
        Assert.Equal(22, DatasetSplits.Ds2.Count);
        Assert.Empty(DatasetSplits.Ds1.Intersect(DatasetSplits.Ds2));
        Assert.Empty(DatasetSplits.Paced.Intersect(DatasetSplits.Ds1.Concat(DatasetSplits.Ds2)));
        Assert.Equal(48, DatasetSplits.All.Distinct().Count());
        Assert.Throws<ArgumentException>(() => DatasetSplits.Named("ds3"));
        Assert.Throws<ArgumentException>(() => Aami.Parse("X"));
    }

    [Fact]
    public void The_intra_patient_split_is_stratified_and_reproducible()
    {
        var labels = Enumerable.Range(0, 10000).Select(i => i % 100 < 90 ? AamiClass.N : i % 100 < 97 ? AamiClass.V : AamiClass.S).ToList();

        var (train, test) = DatasetSplits.StratifiedSplit(labels, 0.2, seed: 11);

        Assert.Equal(10000, train.Count + test.Count);
        Assert.Empty(train.Intersect(test));
        foreach (var c in new[] { AamiClass.N, AamiClass.V, AamiClass.S })
        {
            var total = labels.Count(l => l == c);
            Assert.Equal(Math.Round(total * 0.2), test.Count(i => labels[i] == c));
        }
        Assert.Equal(test, DatasetSplits.StratifiedSplit(labels, 0.2, seed: 11).Test);
        Assert.NotEqual(test, DatasetSplits.StratifiedSplit(labels, 0.2, seed: 12).Test);
    }
}
