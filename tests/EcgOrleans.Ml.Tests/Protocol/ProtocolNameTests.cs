using EcgOrleans.Ml.ClassMaps;
using EcgOrleans.Ml.Saliency;

namespace EcgOrleans.Ml.Tests.Protocol;

/// <summary>The saliency target, the saliency method and the class-map grouping: one spelling each, read back by one Parse.</summary>
public sealed class ProtocolNameTests
{
    [Fact]
    public void Every_value_reads_back_from_its_name_in_any_case()
    {
        foreach (var target in Enum.GetValues<SaliencyTarget>())
        {
            Assert.Equal(target, SaliencyTarget.Parse(target.Name));
            Assert.Equal(target, SaliencyTarget.Parse(target.Name.ToUpperInvariant()));
        }
        foreach (var grouping in ClassMapGroupingNames.All)
        {
            Assert.Equal(grouping, ClassMapGrouping.Parse(grouping.Name));
            Assert.Equal(grouping, ClassMapGrouping.Parse(grouping.Name.ToUpperInvariant()));
        }
        foreach (var method in SaliencyMethods.Kinds)
        {
            Assert.Equal(method, SaliencyMethods.Parse(SaliencyMethods.Name(method)));
            Assert.Equal(SaliencyMethods.Name(method), SaliencyMethods.Create(method).Name);
        }
        Assert.Equal(["predicted", "reference"], Enum.GetValues<SaliencyTarget>().Select(t => t.Name));
        Assert.Equal(["reference", "predicted", "cell"], ClassMapGroupingNames.All.Select(g => g.Name));
    }

    [Fact]
    public void An_unknown_name_is_refused_naming_it_and_the_valid_ones()
    {
        var target = Assert.Throws<ArgumentException>(() => SaliencyTarget.Parse("actual"));
        Assert.StartsWith("unknown saliency target 'actual': use predicted or reference", target.Message);

        var grouping = Assert.Throws<ArgumentException>(() => ClassMapGrouping.Parse("sideways"));
        Assert.StartsWith("unknown grouping 'sideways': use one of reference, predicted, cell", grouping.Message);

        var method = Assert.Throws<ArgumentException>(() => SaliencyMethods.Parse(" vanilla"));
        Assert.StartsWith("unknown saliency method ' vanilla': use one of vanilla, gradxinput, smoothgrad, ig, occlusion, gradcam", method.Message);
    }
}
