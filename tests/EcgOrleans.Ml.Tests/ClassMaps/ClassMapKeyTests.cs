using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Ml.Tests.ClassMaps;

public sealed class ClassMapKeyTests
{
    [Fact]
    public void Keys_have_stable_string_forms_that_parse_back()
    {
        Assert.Equal("reference/V", ClassMapKey.ByReference(AamiClass.V).ToString());
        Assert.Equal("predicted/N", ClassMapKey.ByPredicted(AamiClass.N).ToString());
        Assert.Equal("cell/V-N", ClassMapKey.Cell(AamiClass.V, AamiClass.N).ToString());

        foreach (var reference in Aami.Classes)
        foreach (var predicted in Aami.Classes)
        {
            foreach (var key in new[] { ClassMapKey.ByReference(reference), ClassMapKey.ByPredicted(predicted), ClassMapKey.Cell(reference, predicted) })
                Assert.Equal(key, ClassMapKey.Parse(key.ToString()));
        }
        Assert.Equal(ClassMapKey.Cell(AamiClass.S, AamiClass.F), ClassMapKey.Parse("CELL/s-f"));
    }

    [Fact]
    public void Keys_know_their_grouping()
    {
        Assert.Equal(ClassMapGrouping.Reference, ClassMapKey.ByReference(AamiClass.S).Grouping);
        Assert.Equal(ClassMapGrouping.Predicted, ClassMapKey.ByPredicted(AamiClass.S).Grouping);
        Assert.Equal(ClassMapGrouping.Cell, ClassMapKey.Cell(AamiClass.S, AamiClass.S).Grouping);
        Assert.NotEqual(ClassMapKey.ByReference(AamiClass.S), ClassMapKey.ByPredicted(AamiClass.S));
    }

    [Theory]
    [InlineData("reference-V", "no '/'")]
    [InlineData("referenced/V", "unknown grouping")]
    [InlineData("reference/X", "'X' is not an AAMI class")]
    [InlineData("reference/2", "'2' is not an AAMI class")]
    [InlineData("cell/V", "cell/V-N")]
    [InlineData("cell/V-N-S", "cell/V-N")]
    [InlineData("predicted/", "'' is not an AAMI class")]
    public void Malformed_keys_are_rejected_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => ClassMapKey.Parse(text));

        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains(reason, error.Message);
    }
}
