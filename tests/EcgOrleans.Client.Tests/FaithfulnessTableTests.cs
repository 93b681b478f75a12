using EcgOrleans.Client.Faithfulness;
using EcgOrleans.Ml.Faithfulness;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Client.Tests;

public sealed class FaithfulnessTableTests
{
    private static readonly double[] Fractions = [0, 0.5, 1];

    /// <summary>Two beats, N and V: constant curves whose areas are their values; maps all in the QRS window or all in P.</summary>
    private static WaveformCurves TwoBeats()
    {
        var qrs = new float[256];
        for (var i = 75; i <= 117; i++) qrs[i] = 1;
        var p = new float[256];
        for (var i = 6; i <= 52; i++) p[i] = 1;
        double[] Flat(double v) => [v, v, v];
        return new WaveformCurves("vanilla", Fractions,
            DeletionBySaliency: [Flat(0.2), Flat(0.1)], DeletionByRandom: [Flat(0.5), Flat(0.05)],
            InsertionBySaliency: [Flat(0.9), Flat(0.3)], InsertionByRandom: [Flat(0.4), Flat(0.6)],
            WaveformRelevance: [qrs, p]);
    }

    [Fact]
    public void Each_class_gets_its_own_beats_areas_and_shares_and_a_class_without_beats_says_so()
    {
        var rows = FaithfulnessRun.PerClass("vanilla", [TwoBeats()], [AamiClass.N, AamiClass.V], BeatRepresentation.Window).ToList();

        Assert.Equal(["N", "S", "V", "F", "Q"], rows.Select(r => r.Class));
        var n = rows[0];
        Assert.Equal(1, n.Beats);
        Assert.Equal(0.2, n.Deletion!.SaliencyArea, 12);
        Assert.Equal(0.5, n.Deletion.RandomArea, 12);
        Assert.Equal(1, n.Deletion.SaliencyWinRate);     // deletion: lower wins
        Assert.Equal(1, n.Insertion!.SaliencyWinRate);   // insertion: higher wins (0.9 > 0.4)
        Assert.Equal(1, n.Waves![1].Share!.Value, 12);
        Assert.Equal(0.2, n.FullProbability!.Value, 12);

        var v = rows[2];
        Assert.Equal(0, v.Deletion!.SaliencyWinRate);     // 0.1 is not below 0.05
        Assert.Equal(0, v.Insertion!.SaliencyWinRate);    // 0.3 is not above 0.6
        Assert.Equal(1, v.Waves![0].Share!.Value, 12);

        foreach (var empty in new[] { rows[1], rows[3], rows[4] })
        {
            Assert.Equal(0, empty.Beats);
            Assert.Null(empty.Deletion);
            Assert.Null(empty.Insertion);
            Assert.Equal("no beats of this class in the sample", empty.Note);
        }
    }
}
