using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EcgOrleans.Bench.Kernels;

/// <summary>
/// A short in-process job: the whole suite must run in minutes on two cores, and an in-process run needs no
/// re-build of the benchmark project (with its RID and libtorch copy) in a generated folder.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class KernelJobAttribute(int warmupCount = 3, int iterationCount = 7) : JobConfigBaseAttribute(
    Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithStrategy(RunStrategy.Throughput)
        .WithLaunchCount(1)
        .WithWarmupCount(warmupCount)
        .WithIterationCount(iterationCount)
        .WithId($"short-{warmupCount}x{iterationCount}"));
