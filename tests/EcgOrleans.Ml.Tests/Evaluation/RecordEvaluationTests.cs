using EcgOrleans.Ml.Data;
using EcgOrleans.Ml.Evaluation;
using EcgOrleans.Ml.Models;
using EcgOrleans.Signal.Beats;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Tests.Evaluation;

public sealed class RecordEvaluationTests
{
    [Fact]
    public void Gross_figures_pool_every_beat_and_each_records_figures_are_its_own_beats()
    {
        const int length = 187;
        var beats = BeatSet.FromBeats(SyntheticBeats.Make(12, length, seed: 4, ["b", "a", "c"]), length, RhythmFeatures.RrCount);
        manual_seed(2);
        using var model = ModelFactory.Create("kachuee", length, RhythmFeatures.RrCount);

        var evaluation = RecordEvaluation.Of(model, beats);

        Assert.Equal(["a", "b", "c"], evaluation.ByRecord.Keys);
        Assert.Equal(beats.Count, evaluation.Gross.Beats);
        Assert.Equal(Evaluator.Evaluate(model, beats).ConfusionRows, evaluation.Gross.ConfusionRows);
        foreach (var (record, result) in evaluation.ByRecord)
        {
            var own = beats.OfRecords([record]);
            Assert.Equal(own.Count, result.Beats);
            Assert.Equal(Evaluator.Evaluate(model, own).ConfusionRows, result.ConfusionRows);
        }
        var summed = Evaluator.Sum(evaluation.ByRecord.Values.Select(r => r.Confusion()));
        Assert.Equal(evaluation.Gross.ConfusionRows, summed.ToRows());
    }
}
