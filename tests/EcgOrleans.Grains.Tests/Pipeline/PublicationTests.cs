using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Pipeline;
using EcgOrleans.Ml.ClassMaps;

namespace EcgOrleans.Grains.Tests.Pipeline;

public sealed class PublisherMarksTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_epoch_is_applied_once_and_repeats_are_recognised()
    {
        var marks = new Dictionary<string, PublisherMark>();
        Assert.Equal(EpochDecision.Apply, PublisherMarks.Decide(marks, "p", 1));
        marks = PublisherMarks.AfterApplying(marks, "p", 1, Now);

        Assert.Equal(EpochDecision.Repeat, PublisherMarks.Decide(marks, "p", 1));
        Assert.Equal(EpochDecision.Apply, PublisherMarks.Decide(marks, "p", 3)); // epoch 2 touched other maps
        Assert.Equal(EpochDecision.Apply, PublisherMarks.Decide(marks, "q", 1)); // another publisher starts afresh
    }

    [Fact]
    public void Resolving_an_epoch_not_applied_fences_it_and_a_late_arrival_is_refused()
    {
        var marks = PublisherMarks.AfterApplying(new Dictionary<string, PublisherMark>(), "p", 4, Now);

        var (applied, fenced) = PublisherMarks.Resolve(marks, "p", 6, Now);

        Assert.False(applied);
        Assert.NotNull(fenced);
        Assert.Equal(EpochDecision.Fenced, PublisherMarks.Decide(fenced, "p", 6));
        Assert.Equal(EpochDecision.Fenced, PublisherMarks.Decide(fenced, "p", 5));
        Assert.Equal(EpochDecision.Apply, PublisherMarks.Decide(fenced, "p", 7));
        Assert.Equal((true, (Dictionary<string, PublisherMark>?)null), PublisherMarks.Resolve(fenced, "p", 4, Now));
    }

    [Fact]
    public void Resolving_an_epoch_of_an_unknown_publisher_fences_it()
    {
        var (applied, fenced) = PublisherMarks.Resolve(new Dictionary<string, PublisherMark>(), "gone", 2, Now);

        Assert.False(applied);
        Assert.Equal(EpochDecision.Fenced, PublisherMarks.Decide(fenced!, "gone", 2));
    }

    [Fact]
    public void Marks_unseen_for_the_retention_are_dropped_and_the_state_does_not_grow_with_epochs()
    {
        var marks = PublisherMarks.AfterApplying(new Dictionary<string, PublisherMark>(), "old", 1, Now);
        for (var epoch = 1; epoch <= 1000; epoch++) marks = PublisherMarks.AfterApplying(marks, "live", epoch, Now + PublisherMarks.Retention + TimeSpan.FromSeconds(1));

        Assert.Single(marks);
        Assert.Equal(1000, marks["live"].Applied);
    }
}

public sealed class PublicationEpochTests
{
    private static PartialMap Part(string key, params float[] saliency)
    {
        var map = new ClassMapAccumulator(saliency.Length, 0);
        map.Add(saliency, saliency);
        return ClassMapConversions.ToPartial(key, map);
    }

    [Fact]
    public void An_epoch_is_ready_once_closed_with_every_reservation_resolved()
    {
        var epoch = new PublicationEpoch(1);
        epoch.Reserve();
        epoch.Reserve();
        epoch.Contribute([Part("reference/N", 1, 2)]);
        epoch.Close();
        Assert.False(epoch.IsReady);

        epoch.Abandon();

        Assert.True(epoch.IsReady);
        Assert.True(epoch.IsAbandoned);
        Assert.Throws<InvalidOperationException>(() => epoch.Reserve());
    }

    [Fact]
    public void Contributions_add_up_per_class_map_and_leave_the_parts_given_unchanged()
    {
        var epoch = new PublicationEpoch(1);
        var first = Part("reference/N", 1, 3);
        epoch.Reserve();
        epoch.Reserve();
        epoch.Contribute([first, Part("predicted/V", 5, 5)]);
        epoch.Contribute([Part("reference/N", 3, 5)]);

        var parts = epoch.Parts();

        Assert.Equal(["predicted/V", "reference/N"], parts.Select(p => p.Key));
        var n = parts.Single(p => p.Key == "reference/N");
        Assert.Equal(2, n.Count);
        Assert.Equal([2.0, 4.0], n.SaliencyMean);
        Assert.Equal([1.0, 3.0], first.SaliencyMean);
    }

    [Fact]
    public void More_contributions_than_reservations_is_a_bug_not_a_sum()
    {
        var epoch = new PublicationEpoch(1);
        epoch.Reserve();
        epoch.Contribute([Part("reference/N", 1)]);

        Assert.Throws<InvalidOperationException>(() => epoch.Contribute([Part("reference/N", 1)]));
    }
}
