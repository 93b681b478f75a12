using System.Diagnostics;

namespace EcgOrleans.Bench;

/// <summary>Runs a workload a given number of times and returns the wall time in seconds.</summary>
internal interface IRunner : IDisposable
{
    /// <summary>Beats one call of every worker processes, summed over workers.</summary>
    int BeatsPerCall { get; }

    double Run(int calls);
}

/// <summary>One caller on the current thread (its LibTorch thread count is the current thread's).</summary>
internal sealed class SingleRunner(Action work, int beatsPerCall) : IRunner
{
    public int BeatsPerCall => beatsPerCall;

    public double Run(int calls)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++) work();
        return clock.Elapsed.TotalSeconds;
    }

    public void Dispose() { }
}

/// <summary>
/// Several callers, each on its own long-lived thread (thread-local LibTorch state persists between runs),
/// starting and stopping together. Threads take LibTorch's thread count current when they first use it.
/// </summary>
internal sealed class ParallelRunner : IRunner
{
    private readonly Barrier barrier;
    private readonly List<Thread> threads;
    private int calls;
    private bool stopping;

    public ParallelRunner(IReadOnlyList<Action> workers, int beatsPerCallEach)
    {
        BeatsPerCall = workers.Count * beatsPerCallEach;
        barrier = new Barrier(workers.Count + 1);
        threads = [.. workers.Select(work => new Thread(() =>
        {
            while (true)
            {
                barrier.SignalAndWait();
                if (Volatile.Read(ref stopping)) return;
                for (var i = 0; i < Volatile.Read(ref calls); i++) work();
                barrier.SignalAndWait();
            }
        }) { IsBackground = true })];
        threads.ForEach(t => t.Start());
    }

    public int BeatsPerCall { get; }

    public double Run(int count)
    {
        Volatile.Write(ref calls, count);
        barrier.SignalAndWait();
        var clock = Stopwatch.StartNew();
        barrier.SignalAndWait();
        return clock.Elapsed.TotalSeconds;
    }

    public void Dispose()
    {
        Volatile.Write(ref stopping, true);
        barrier.SignalAndWait();
        threads.ForEach(t => t.Join());
        barrier.Dispose();
    }
}

internal static class Throughput
{
    /// <summary>Warms up with <paramref name="warmupCalls"/> calls and returns the calls that take about <paramref name="seconds"/>.</summary>
    public static int Calibrate(IRunner runner, int warmupCalls, double seconds)
    {
        var calls = Math.Max(1, warmupCalls);
        var elapsed = runner.Run(calls);
        return Math.Max(2, (int)Math.Ceiling(seconds / Math.Max(elapsed / calls, 1e-6)));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Beats/s of a single caller: warm-up, then the median of <paramref name="repetitions"/> timed runs.</summary>
    public static double[] Measure(Action work, int beatsPerCall, int repetitions, double seconds, int warmupCalls)
    {
        using var runner = new SingleRunner(work, beatsPerCall);
        var calls = Calibrate(runner, warmupCalls, seconds);
        return [.. Enumerable.Range(0, repetitions).Select(_ => calls * beatsPerCall / runner.Run(calls))];
    }
}
