using System.Diagnostics;

namespace EcgOrleans.Bench;

/// <summary>Beats per second of a repeated action: the median of several timed repetitions after a warm-up.</summary>
internal sealed record ThroughputSettings(int Repetitions, double SecondsPerRepetition, int WarmupCalls);

internal static class Throughput
{
    /// <summary>
    /// Calls <paramref name="run"/> (which processes <paramref name="beatsPerCall"/> beats) until warm, sizes a
    /// repetition to about <see cref="ThroughputSettings.SecondsPerRepetition"/>, then returns the beats/s of
    /// every repetition (the caller takes the median).
    /// </summary>
    public static double[] Measure(Action run, int beatsPerCall, ThroughputSettings settings)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < settings.WarmupCalls; i++) run();
        var perCall = clock.Elapsed.TotalSeconds / Math.Max(1, settings.WarmupCalls);
        var calls = Math.Max(2, (int)Math.Ceiling(settings.SecondsPerRepetition / Math.Max(perCall, 1e-6)));

        var rates = new double[settings.Repetitions];
        for (var r = 0; r < rates.Length; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            clock.Restart();
            for (var i = 0; i < calls; i++) run();
            rates[r] = calls * beatsPerCall / clock.Elapsed.TotalSeconds;
        }
        return rates;
    }

    /// <summary>
    /// Several workers, each calling its own action on its own long-lived thread (thread-local LibTorch state
    /// persists), all starting and stopping together; returns the combined beats/s of every repetition.
    /// </summary>
    public static double[] MeasureParallel(IReadOnlyList<Action> workers, int beatsPerCall, ThroughputSettings settings)
    {
        var calls = settings.WarmupCalls;
        using var barrier = new Barrier(workers.Count + 1);
        var threads = workers.Select(work => new Thread(() =>
        {
            // Phase 0 is the warm-up; phases 1..R are the repetitions. Each phase runs between two barriers.
            for (var phase = 0; phase <= settings.Repetitions; phase++)
            {
                barrier.SignalAndWait();
                for (var i = 0; i < Volatile.Read(ref calls); i++) work();
                barrier.SignalAndWait();
            }
        })).ToList();
        threads.ForEach(t => t.Start());

        var rates = new double[settings.Repetitions];
        var clock = new Stopwatch();
        for (var phase = 0; phase <= settings.Repetitions; phase++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            barrier.SignalAndWait();
            clock.Restart();
            barrier.SignalAndWait();
            var seconds = clock.Elapsed.TotalSeconds;
            if (phase == 0)
                Volatile.Write(ref calls, Math.Max(2, (int)Math.Ceiling(settings.SecondsPerRepetition / Math.Max(seconds / calls, 1e-6))));
            else
                rates[phase - 1] = workers.Count * calls * beatsPerCall / seconds;
        }
        threads.ForEach(t => t.Join());
        return rates;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
