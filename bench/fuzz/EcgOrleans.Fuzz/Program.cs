using EcgOrleans.Fuzz;
using EcgOrleans.Signal.Wfdb;
using SharpFuzz;

// Usage:
//   EcgOrleans.Fuzz <target>                     under afl-fuzz (bench/fuzz/run.sh), input on stdin
//   EcgOrleans.Fuzz <target> --replay <path>...  runs files (or every file in folders) and prints each outcome
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine("usage: EcgOrleans.Fuzz <target> [--replay <file or folder>...]");
    foreach (var t in FuzzTargets.All.Values) Console.Error.WriteLine($"  {t.Name,-11} input: {t.Input}");
    return 2;
}

if (args.Length > 1 && args[1] == "--replay") return Replay(target, args[2..]);

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    RunOne(target, buffer.ToArray());
});
return 0;

// Runs one input; a WfdbFormatException is an expected rejection, anything else escapes as a crash.
static string RunOne(FuzzTarget target, byte[] input)
{
    var meter = new ByteMeter();
    var before = GC.GetAllocatedBytesForCurrentThread();
    string outcome;
    try
    {
        target.Run(input, meter);
        outcome = "accepted";
    }
    catch (WfdbFormatException e)
    {
        outcome = $"rejected: {e.Message}";
    }
    var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    AllocationBudget.Check(allocated, meter.Bytes);
    return $"{outcome} [allocated {allocated:N0} bytes for {meter.Bytes:N0} input bytes]";
}

static int Replay(FuzzTarget target, string[] paths)
{
    var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p])
        .Where(f => !f.EndsWith("README.txt", StringComparison.Ordinal));
    var crashes = 0;
    foreach (var file in files)
    {
        string outcome;
        try
        {
            outcome = RunOne(target, File.ReadAllBytes(file));
        }
        catch (Exception e)
        {
            crashes++;
            outcome = $"CRASH: {e}";
        }
        Console.WriteLine($"{Path.GetFileName(file)}: {outcome}");
    }
    Console.WriteLine($"{crashes} crash(es)");
    return crashes == 0 ? 0 : 1;
}
