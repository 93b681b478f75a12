using System.Runtime.InteropServices;
using EcgOrleans.Ml.Runtime;
using static TorchSharp.torch;

namespace EcgOrleans.Experiments;

/// <summary>
/// Two threads add small tensors while a third forces garbage collections, once with the implicit alpha of
/// TorchSharp's + and once with <see cref="TorchScalars.Plus(Tensor, Tensor)"/>, whose alpha stays reachable. The
/// native errors of the first run are the ones parallel ingest raised ("Expected false to be true … toFloat").
/// </summary>
internal static class ScalarRace
{
    public static void Run(TimeSpan duration)
    {
        foreach (var (name, add) in new (string, Func<Tensor, Tensor, Tensor>)[] { ("implicit alpha (a + b)", (a, b) => a + b), ("held alpha (TorchScalars.Plus)", TorchScalars.Plus) })
        {
            var (adds, errors, messages) = AddUnderCollection(add, duration);
            Console.WriteLine($"{name}: {adds:N0} additions in {duration.TotalSeconds:0} s, {errors} native errors");
            foreach (var (message, count) in messages) Console.WriteLine($"  {count} x {message}");
        }
    }

    private static (long Adds, long Errors, Dictionary<string, int> Messages) AddUnderCollection(Func<Tensor, Tensor, Tensor> add, TimeSpan duration)
    {
        long adds = 0, errors = 0;
        var messages = new Dictionary<string, int>();
        using var stop = new CancellationTokenSource(duration);
        var workers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            using var a = ones(64);
            using var b = ones(64);
            while (!stop.IsCancellationRequested)
            {
                using var scope = NewDisposeScope();
                try
                {
                    add(a, b);
                    Interlocked.Increment(ref adds);
                }
                catch (ExternalException e)
                {
                    Interlocked.Increment(ref errors);
                    var first = e.Message.Split('\n')[0];
                    lock (messages) messages[first] = messages.GetValueOrDefault(first) + 1;
                }
            }
        })).ToList();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        workers.ForEach(t => t.Start());
        collector.Start();
        workers.ForEach(t => t.Join());
        collector.Join();
        return (adds, errors, messages);
    }
}
