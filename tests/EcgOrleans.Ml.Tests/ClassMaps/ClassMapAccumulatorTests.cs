using EcgOrleans.Ml.ClassMaps;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgOrleans.Ml.Tests.ClassMaps;

public sealed class ClassMapAccumulatorTests
{
    private const int Length = 3;
    private const int Rhythm = 2;
    private const int Dimension = Length + Rhythm;

    /// <summary>Beats with values on two scales, some offset far from zero (where naive sum-of-squares fails).</summary>
    private static Gen<float[]> Row { get; } =
        Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 1000f).ArrayOf(2 * Dimension);

    /// <summary>Rows, a shuffle seed and cut points splitting the shuffled rows into parts.</summary>
    private static Arbitrary<(float[][] Rows, int Shuffle, int[] Cuts)> Partitions { get; } =
        (from rows in Row.NonEmptyListOf()
         from offset in Gen.Elements(0f, 1e4f)
         from shuffle in Gen.Choose(0, int.MaxValue)
         from cuts in Gen.Choose(0, rows.Count).ListOf()
         select (rows.Select(r => r.Select(v => v + offset).ToArray()).ToArray(), shuffle, cuts.ToArray())).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Merging_parts_in_any_order_equals_one_pass_statistics() =>
        Prop.ForAll(Partitions, input =>
        {
            var (rows, shuffle, cuts) = input;
            var expected = new ClassMapAccumulator(Length, Rhythm);
            foreach (var row in rows) expected.Add(row.AsSpan(0, Dimension), row.AsSpan(Dimension));

            // Split the rows into parts at the cut points, then merge the parts in a shuffled order.
            var bounds = cuts.Append(0).Append(rows.Length).Distinct().Order().ToArray();
            var parts = bounds.Zip(bounds.Skip(1), (from, to) =>
            {
                var part = new ClassMapAccumulator(Length, Rhythm);
                for (var i = from; i < to; i++) part.Add(rows[i].AsSpan(0, Dimension), rows[i].AsSpan(Dimension));
                return part;
            }).ToArray();
            new Random(shuffle).Shuffle(parts);
            var merged = new ClassMapAccumulator(Length, Rhythm);
            foreach (var part in parts) merged.Merge(part);

            var (saliencyMean, saliencyVariance) = TwoPass(rows, 0);
            var (beatMean, beatVariance) = TwoPass(rows, Dimension);
            return merged.Count == rows.Length
                && Close(merged.SaliencyMean, saliencyMean) && Close(merged.SaliencyVariance(), saliencyVariance)
                && Close(merged.BeatMean, beatMean) && Close(merged.BeatVariance(), beatVariance)
                && Close(expected.SaliencyMean, saliencyMean) && Close(expected.BeatVariance(), beatVariance);
        });

    /// <summary>Reference mean and population variance by the textbook two-pass formulas, in decimal.</summary>
    private static (double[] Mean, double[] Variance) TwoPass(float[][] rows, int offset)
    {
        var mean = new double[Dimension];
        var variance = new double[Dimension];
        for (var i = 0; i < Dimension; i++)
        {
            var values = rows.Select(r => (decimal)(double)r[offset + i]).ToArray();
            var m = values.Sum() / values.Length;
            mean[i] = (double)m;
            variance[i] = (double)(values.Sum(v => (v - m) * (v - m)) / values.Length);
        }
        return (mean, variance);
    }

    private static bool Close(double[] actual, double[] expected) =>
        actual.Zip(expected, (a, e) => Math.Abs(a - e) <= 1e-9 * Math.Max(1, Math.Abs(e))).All(ok => ok);

    [Fact]
    public void Variance_and_standard_deviation_of_known_values()
    {
        var accumulator = new ClassMapAccumulator(1, 1);
        foreach (var v in new float[] { 2, 4, 4, 4, 5, 5, 7, 9 }) accumulator.Add([v, 1], [10 * v, 1]);

        Assert.Equal(8, accumulator.Count);
        Assert.Equal([5.0, 1.0], accumulator.SaliencyMean);
        Assert.Equal([4.0, 0.0], accumulator.SaliencyVariance());
        Assert.Equal([2.0, 0.0], accumulator.SaliencyStandardDeviation());
        Assert.Equal(32.0 / 7, accumulator.SaliencyVariance(unbiased: true)[0], 12);
        Assert.Equal([50.0, 1.0], accumulator.BeatMean);
        Assert.Equal([20.0, 0.0], accumulator.BeatStandardDeviation());
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(8, 0)]
    [InlineData(256, 4)]
    [InlineData(187, 0)]
    public void Adding_beats_follows_the_scalar_Welford_recurrence_exactly_at_any_length(int length, int rhythm)
    {
        // The accumulator updates in SIMD blocks plus a scalar tail; every element must get the same IEEE
        // operations as the textbook recurrence, wherever it falls.
        var random = new Random(length);
        var map = new ClassMapAccumulator(length, rhythm);
        var dimension = length + rhythm;
        var mean = new double[dimension];
        var m2 = new double[dimension];
        for (var n = 1; n <= 20; n++)
        {
            var saliency = Enumerable.Range(0, dimension).Select(_ => (float)random.NextDouble()).ToArray();
            var beat = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            map.Add(saliency, beat);
            for (var i = 0; i < dimension; i++)
            {
                var delta = beat[i] - mean[i];
                mean[i] += delta / n;
                m2[i] += delta * (beat[i] - mean[i]);
            }
        }

        Assert.Equal(mean, map.BeatMean);
        Assert.Equal(m2, map.BeatM2);
    }

    [Fact]
    public void A_beat_added_as_waveform_and_rhythm_equals_one_added_as_one_vector()
    {
        var split = new ClassMapAccumulator(Length, Rhythm);
        var whole = new ClassMapAccumulator(Length, Rhythm);

        split.Add([0.1f, 0.2f, 0.3f, 0.4f, 0.5f], [1, 2, 3], [4, 5]);
        whole.Add([0.1f, 0.2f, 0.3f, 0.4f, 0.5f], [1, 2, 3, 4, 5]);

        Assert.Equal(whole.BeatMean, split.BeatMean);
        Assert.Equal(whole.SaliencyMean, split.SaliencyMean);
    }

    [Fact]
    public void Variances_need_enough_beats()
    {
        var accumulator = new ClassMapAccumulator(Length, Rhythm);
        Assert.Throws<InvalidOperationException>(() => accumulator.SaliencyVariance());

        accumulator.Add(new float[Dimension], new float[Dimension]);

        Assert.Equal(new double[Dimension], accumulator.SaliencyVariance());
        Assert.Contains("at least 2 beats", Assert.Throws<InvalidOperationException>(() => accumulator.BeatVariance(unbiased: true)).Message);
    }

    [Fact]
    public void State_round_trips_and_merging_an_empty_map_changes_nothing()
    {
        var accumulator = new ClassMapAccumulator(Length, Rhythm);
        accumulator.Add([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]);
        accumulator.Add([2, 2, 2, 2, 2], [0, 0, 0, 0, 1]);

        var copy = ClassMapAccumulator.FromState(Length, Rhythm, accumulator.Count,
            accumulator.SaliencyMean, accumulator.SaliencyM2, accumulator.BeatMean, accumulator.BeatM2);
        copy.Merge(new ClassMapAccumulator(Length, Rhythm));

        Assert.Equal(accumulator.Count, copy.Count);
        Assert.Equal(accumulator.SaliencyMean, copy.SaliencyMean);
        Assert.Equal(accumulator.SaliencyM2, copy.SaliencyM2);
        Assert.Equal(accumulator.BeatMean, copy.BeatMean);
        Assert.Equal(accumulator.BeatM2, copy.BeatM2);
        Assert.NotSame(accumulator.SaliencyMean, copy.SaliencyMean);
    }

    [Fact]
    public void Inconsistent_states_and_shapes_are_rejected()
    {
        double[] five = [0, 0, 0, 0, 0];
        Assert.Contains("expected 5",
            Assert.Throws<ArgumentException>(() => ClassMapAccumulator.FromState(Length, Rhythm, 1, [0, 0], five, five, five)).Message);
        Assert.Contains("negative",
            Assert.Throws<ArgumentException>(() => ClassMapAccumulator.FromState(Length, Rhythm, 2, five, [0, -1, 0, 0, 0], five, five)).Message);
        Assert.Contains("NaN",
            Assert.Throws<ArgumentException>(() => ClassMapAccumulator.FromState(Length, Rhythm, 2, five, five, [double.NaN, 0, 0, 0, 0], five)).Message);
        Assert.Contains("0 beats",
            Assert.Throws<ArgumentException>(() => ClassMapAccumulator.FromState(Length, Rhythm, 0, [1, 0, 0, 0, 0], five, five, five)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassMapAccumulator.FromState(Length, Rhythm, -1, five, five, five, five));

        var accumulator = new ClassMapAccumulator(Length, Rhythm);
        Assert.Contains("4 values", Assert.Throws<ArgumentException>(() => accumulator.Add(new float[4], new float[5])).Message);
        Assert.Contains("3+2", Assert.Throws<ArgumentException>(() => accumulator.Merge(new ClassMapAccumulator(4, 1))).Message);
    }
}
