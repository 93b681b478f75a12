using System.Diagnostics;
using System.Diagnostics.Metrics;
using EcgOrleans.Abstractions;
using EcgOrleans.Signal.Beats;

namespace EcgOrleans.Grains.Telemetry;

/// <summary>
/// The grains' own instruments on one static meter, <see cref="MeterName"/>; a host exports them with
/// <c>AddMeter(EcgMetrics.MeterName)</c> (the silo's HTTP API has its stream instruments under the same name). Grains call the small methods below, so that tag names and their
/// spellings live in one place. Counters count work once: a batch that a resumed record replays (every one of
/// its merges dropped as already applied) is not counted again.
/// </summary>
public static class EcgMetrics
{
    public const string MeterName = "EcgOrleans";

    /// <summary>Tag value of beats that carry no reference class (found by a QRS detector).</summary>
    public const string NoClass = "none";

    private static readonly Meter Meter = new(MeterName, typeof(EcgMetrics).Assembly.GetName().Version?.ToString());

    private static readonly string[] ClassNames = [.. Aami.Classes.Select(c => c.ToString())];

    private static readonly Counter<long> BeatsIngested = Meter.CreateCounter<long>("ecg.beats.ingested", "{beat}",
        "Beats cut from records, scored and merged into class maps, by reference class (none: no reference) and model.");

    private static readonly Counter<long> BeatsClassified = Meter.CreateCounter<long>("ecg.beats.classified", "{beat}",
        "Beats merged into class maps, by the class the model predicted and model.");

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram("ecg.model.batch.size", "{beat}",
        "Beats per batch a model grain scored.", tags: null,
        new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 8, 16, 32, 64, 128, 192, 255, 256] });

    private static readonly Histogram<double> ModelDuration = Meter.CreateHistogram("ecg.model.duration", "s",
        "Time a model grain spent on one batch: forward pass, saliency and partial maps.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    private static readonly Counter<long> ClassMapMerges = Meter.CreateCounter<long>("ecg.classmap.merges", "{merge}",
        "Partial maps offered to class maps, by grouping and outcome (merged, or replay: dropped as merged before).");

    private static readonly Counter<long> ChunksAccepted = Meter.CreateCounter<long>("ecg.chunks.accepted", "{chunk}",
        "Signal chunks record grains accepted.");

    private static readonly Counter<long> SamplesAccepted = Meter.CreateCounter<long>("ecg.samples.accepted", "{sample}",
        "Signal samples in accepted chunks.");

    private static readonly Counter<long> ChunksRefused = Meter.CreateCounter<long>("ecg.chunks.refused", "{chunk}",
        "Signal chunks record grains refused, by error code (chunk-out-of-order, invalid-chunk, unknown-run, ...).");

    private static readonly UpDownCounter<long> BeatsWaiting = Meter.CreateUpDownCounter<long>("ecg.record.beats.waiting", "{beat}",
        "Beats cut but not yet batched, summed over the record grains of this silo: the pipeline's queue depth.");

    private static readonly UpDownCounter<long> RecordsActive = Meter.CreateUpDownCounter<long>("ecg.records.active", "{record}",
        "Record grains active on this silo.");

    /// <summary>A batch whose partial maps were merged; <paramref name="anyNew"/> is false when every merge was a replay.</summary>
    public static void BatchMerged(string model, BeatBatch batch, BatchScores scores, bool anyNew)
    {
        if (!anyNew || (!BeatsIngested.Enabled && !BeatsClassified.Enabled)) return;
        var ingested = new long[ClassNames.Length + 1];
        var classified = new long[ClassNames.Length];
        for (var b = 0; b < batch.Count; b++)
        {
            ingested[batch.References[b] < ClassNames.Length ? batch.References[b] : ClassNames.Length]++;
            if (scores.Predicted[b] < ClassNames.Length) classified[scores.Predicted[b]]++;
        }
        for (var c = 0; c <= ClassNames.Length; c++)
        {
            if (ingested[c] > 0) BeatsIngested.Add(ingested[c], Tags(model, c < ClassNames.Length ? ClassNames[c] : NoClass));
        }
        for (var c = 0; c < ClassNames.Length; c++)
        {
            if (classified[c] > 0) BeatsClassified.Add(classified[c], Tags(model, ClassNames[c]));
        }
    }

    public static void BatchScored(string model, string method, int beats, TimeSpan elapsed)
    {
        var tags = new TagList { { "model", model }, { "method", method } };
        BatchSize.Record(beats, new KeyValuePair<string, object?>("model", model));
        ModelDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>A partial map offered to class map <paramref name="mapKey"/> ("reference/V"): merged, or dropped as a replay.</summary>
    public static void ClassMapMerge(string mapKey, bool merged)
    {
        var slash = mapKey.IndexOf('/');
        ClassMapMerges.Add(1, new KeyValuePair<string, object?>("grouping", slash > 0 ? mapKey[..slash] : mapKey),
            new KeyValuePair<string, object?>("outcome", merged ? "merged" : "replay"));
    }

    public static void ChunkAccepted(SignalChunk chunk)
    {
        ChunksAccepted.Add(1);
        SamplesAccepted.Add(chunk.Samples.Length);
    }

    public static void ChunkRefused(string code) => ChunksRefused.Add(1, new KeyValuePair<string, object?>("code", code));

    /// <summary>One record grain's share of the silo-wide gauges: it reports its own level, the meter holds the sum.</summary>
    public sealed class RecordShare
    {
        private long _waiting;
        private bool _active;

        public void Activated()
        {
            if (_active) return;
            _active = true;
            RecordsActive.Add(1);
        }

        public void Waiting(long beats)
        {
            var delta = beats - _waiting;
            _waiting = beats;
            if (delta != 0) BeatsWaiting.Add(delta);
        }

        public void Deactivated()
        {
            Waiting(0);
            if (!_active) return;
            _active = false;
            RecordsActive.Add(-1);
        }
    }

    private static TagList Tags(string model, string aamiClass) => new() { { "model", model }, { "class", aamiClass } };
}
