using System.Diagnostics.Metrics;
using EcgOrleans.Abstractions;
using EcgOrleans.Grains.Telemetry;

namespace EcgOrleans.Grains.Tests;

/// <summary>A silo's scoring queue gathers many records' small batches into few model calls and answers each caller with its own.</summary>
[Collection(ClusterCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ScoringQueueTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Small_batches_sent_at_once_are_scored_together_and_answered_apart()
    {
        var model = (await fixture.Grains.GetGrain<IModelRegistryGrain>(GrainKeys.ModelRegistry).Upload($"queue-{Guid.NewGuid():N}"[..14], TestModels.Checkpoint())).Key;
        var random = new Random(5);
        var batches = Enumerable.Range(0, 24).Select(i => Batch(random, $"queue/test/r{i}", count: 1 + i % 3)).ToArray();
        var modelCalls = new List<int>();
        using var listener = ListenToModelCalls(model, modelCalls);

        var queue = fixture.Grains.GetGrain<IScoringQueue>(GrainKeys.ScoringQueue(model, "vanilla", "predicted"));
        var answers = await Task.WhenAll(batches.Select(queue.Score));

        var alone = await Task.WhenAll(batches.Select(b => fixture.Grains.GetGrain<IModelGrain>(model).ScoreAll([b], "vanilla", "predicted")));
        for (var i = 0; i < batches.Length; i++)
        {
            Assert.Equal(batches[i].Count, answers[i].Predicted.Length);
            Assert.Equal(alone[i][0].Predicted, answers[i].Predicted);
            Assert.True(answers[i].Probabilities.Zip(alone[i][0].Probabilities, (a, b) => Math.Abs(a - b)).Max() < 1e-5, $"batch {i}: probabilities differ");
            Assert.Equal(batches[i].Count, answers[i].Partials.Where(p => p.Key.StartsWith("predicted/", StringComparison.Ordinal)).Sum(p => p.Count));
        }
        lock (modelCalls)
        {
            // The first 24 records' calls went through the queue; the alone ones are one call each.
            var queued = modelCalls.Take(modelCalls.Count - batches.Length).ToList();
            Assert.Equal(batches.Sum(b => b.Count), queued.Sum());
            Assert.True(queued.Count <= 3, $"{queued.Count} model calls for {batches.Length} batches: the queue did not gather them");
        }
    }

    private static MeterListener ListenToModelCalls(string model, List<int> calls)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == EcgMetrics.MeterName && instrument.Name == "ecg.model.batch.size") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<int>((_, beats, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "model" && (string?)tag.Value == model)
                    lock (calls) calls.Add(beats);
        });
        listener.Start();
        return listener;
    }

    private static BeatBatch Batch(Random random, string record, int count)
    {
        const int length = 256;
        const int rhythm = 4;
        var waveforms = new float[count * length];
        var features = new float[count * rhythm];
        for (var i = 0; i < waveforms.Length; i++) waveforms[i] = (float)(random.NextDouble() * 2 - 1);
        for (var i = 0; i < features.Length; i++) features[i] = (float)(random.NextDouble() + 0.5);
        return new BeatBatch(record, 0, count, length, rhythm, waveforms, features, [.. Enumerable.Repeat((byte)0, count)], new long[count]);
    }
}
