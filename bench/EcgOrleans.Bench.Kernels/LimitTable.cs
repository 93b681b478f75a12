using BenchmarkDotNet.Reports;

namespace EcgOrleans.Bench.Kernels;

/// <summary>Every measured figure beside the limit it is judged against, as one Markdown table.</summary>
internal static class LimitTable
{
    private const double MegaByte = 1e6;

    public static IEnumerable<string> Lines(IEnumerable<Summary> summaries)
    {
        // Mean nanoseconds per operation (OperationsPerInvoke already divided out), by benchmark method.
        var ns = summaries.SelectMany(s => s.Reports)
            .Where(r => r.ResultStatistics is not null)
            .ToDictionary(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name, r => r.ResultStatistics!.Mean);
        var rows = new List<(string Kernel, string Figure, string Limit, string Against)>();
        bool Has(params string[] names) => names.All(ns.ContainsKey);
        double PerSecond(string name) => 1e9 / ns[name];
        string Rate(string name, string unit) => $"{PerSecond(name):N0} {unit}";

        if (Has(nameof(WfdbDecodeBenchmarks.MemoryCopy), nameof(WfdbDecodeBenchmarks.Decode212), nameof(WfdbDecodeBenchmarks.ReaderFromMemory)))
        {
            double MBps(string name) => KernelData.Record100DatBytes / MegaByte / (ns[name] / 1e9);
            var copy = MBps(nameof(WfdbDecodeBenchmarks.MemoryCopy));
            foreach (var (name, label) in new[] { (nameof(WfdbDecodeBenchmarks.Decode212), "format-212 decode, record 100 in memory (1.95 MB)"),
                                                  (nameof(WfdbDecodeBenchmarks.ReaderFromMemory), "WFDB reader over the in-memory file (+ checksums, per-signal arrays)") })
                rows.Add((label, $"{MBps(name):N0} MB/s", $"copy of the same bytes (cache-resident): {copy:N0} MB/s", $"{MBps(name) / copy:P1} of copy speed"));
        }
        if (Has(nameof(WfdbReadAllBenchmarks.ReadAll48Records)))
        {
            var seconds = ns[nameof(WfdbReadAllBenchmarks.ReadAll48Records)] / 1e9;
            rows.Add(("read all 48 records (signals + annotations) from disk", $"{seconds:F2} s", "< 1 s (issue)", seconds < 1 ? "met" : "MISSED"));
        }

        var inference = nameof(ModelBenchmarks.Inference);
        var vanilla = nameof(ModelBenchmarks.Vanilla);
        string VersusInference(string name) => Has(inference) ? $"{ns[name] / ns[inference]:P1} of inference per beat" : "(inference not run)";

        if (Has(nameof(BeatCuttingBenchmarks.ExtractWindowBeats)))
        {
            var extract = nameof(BeatCuttingBenchmarks.ExtractWindowBeats);
            rows.Add(("cut window beats, record 100 in memory", $"{ns[extract] / 1e3:F2} µs/beat ({Rate(extract, "beats/s")})",
                "far below inference per beat", VersusInference(extract)));
            foreach (var name in new[] { nameof(BeatCuttingBenchmarks.BaselineRemoval), nameof(BeatCuttingBenchmarks.SlidingMedian200Ms), nameof(BeatCuttingBenchmarks.SlidingMedian600Ms) }.Where(n => Has(n)))
                rows.Add(($"  {Label(name)} alone, same lead, per beat", $"{ns[name] / 1e3:F2} µs/beat", "part of the cut", $"{ns[name] / ns[extract]:P0} of the cut"));
        }

        if (Has(inference))
        {
            rows.Add(("inference, Kachuee window model, batch 256, 1 thread", Rate(inference, "beats/s"), "the model's own cost: every row below is relative to it", "1.0x"));
            // The cost each method's algorithm implies, as a multiple of inference or of vanilla.
            var expectations = new (string Name, string Method, string Limit, double Expected, string RelativeTo)[]
            {
                (vanilla, "vanilla", "one forward + one input backward: at most about 3x inference", 3, inference),
                (nameof(ModelBenchmarks.GradientTimesInput), "gradxinput", "vanilla plus one product: about 1x vanilla", 1, vanilla),
                (nameof(ModelBenchmarks.SmoothGrad), "smoothgrad", "25 noisy copies: about 25x vanilla", 25, vanilla),
                (nameof(ModelBenchmarks.IntegratedGradients), "ig", "33 path points (trapezoid, m = 32): about 33x vanilla", 33, vanilla),
                (nameof(ModelBenchmarks.Occlusion), "occlusion", "31 windows + 4 rhythm copies + 1 clean pass, forward only: about 36x inference", 36, inference),
                (nameof(ModelBenchmarks.GradCam), "gradcam", "backward only down to the last conv layer: at most 1x vanilla", 1, vanilla),
            };
            foreach (var (name, method, limit, expected, relativeTo) in expectations.Where(e => Has(e.Name, e.RelativeTo)))
            {
                var ratio = ns[name] / ns[relativeTo];
                var against = $"{ratio:F1}x {(relativeTo == inference ? "inference" : "vanilla")} = {ratio / expected:F2} of the expected cost";
                if (relativeTo != inference) against += $" ({ns[name] / ns[inference]:F1}x inference)";
                rows.Add(($"inference + {method} saliency", Rate(name, "beats/s"), limit, against));
            }
        }

        foreach (var (name, label, unit) in new[]
                 {
                     (nameof(AccumulatorBenchmarks.AddBatchToOneMap), "class map: add a batch of 256 beats (Welford)", "per beat"),
                     (nameof(AccumulatorBenchmarks.SplitBatchIntoMaps), "class maps: split a scored batch into its 3 groupings", "per beat"),
                 }.Where(r => Has(r.Item1)))
            rows.Add((label, $"{ns[name]:N0} ns {unit}", "far below inference per beat", VersusInference(name)));
        foreach (var (name, label) in new[]
                 {
                     (nameof(AccumulatorBenchmarks.MergeTwoMaps), "class map: merge two maps (Chan)"),
                     (nameof(AccumulatorBenchmarks.CloneAndMerge), "class map: clone + merge (ClassMapGrain's step)"),
                 }.Where(r => Has(r.Item1)))
            rows.Add((label, $"{ns[name]:N0} ns per merge", "far below scoring the 256 beats it summarises",
                Has(vanilla) ? $"scoring 256 beats (vanilla) takes {256 * ns[vanilla] / ns[name]:N0}x longer" : "(vanilla not run)"));

        foreach (var (name, label) in new[]
                 {
                     (nameof(ClassMapGrainBenchmarks.MergeOneAtATime), "ClassMapGrain.Merge, one record, each merge awaited"),
                     (nameof(ClassMapGrainBenchmarks.MergeFromEightPublishers), "ClassMapGrain.Apply, 8 publishers at once"),
                 }.Where(r => Has(r.Item1)))
        {
            // One grain sees at most one partial per batch of 256 beats; two model workers (two cores) feed it.
            var needed = Has(vanilla) ? 2 * PerSecond(vanilla) / 256 : double.NaN;
            rows.Add((label, Rate(name, "merges/s"),
                Has(vanilla) ? $"one merge per 256-beat batch at 2 cores of vanilla scoring: {needed:N0} merges/s" : "(vanilla not run)",
                Has(vanilla) ? $"{PerSecond(name) / needed:N0}x headroom" : ""));
        }

        yield return "| kernel | measured | limit | against the limit |";
        yield return "| --- | ---: | --- | --- |";
        foreach (var (kernel, figure, limit, against) in rows) yield return $"| {kernel} | {figure} | {limit} | {against} |";
    }

    private static string Label(string method) => method switch
    {
        nameof(BeatCuttingBenchmarks.BaselineRemoval) => "baseline removal (200 + 600 ms medians)",
        nameof(BeatCuttingBenchmarks.SlidingMedian200Ms) => "200 ms sliding median",
        nameof(BeatCuttingBenchmarks.SlidingMedian600Ms) => "600 ms sliding median",
        _ => method,
    };
}
