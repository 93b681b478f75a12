using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using EcgOrleans.Signal.Wfdb;
using Spectre.Console;

namespace EcgOrleans.Client.Data;

/// <summary>A record a command could not use: which, the file at fault, and why.</summary>
internal sealed record RefusedRecord(string Record, string File, string Reason)
{
    public override string ToString() => $"record {Record}, file {File}: {Reason}";

    /// <summary>The refusal <paramref name="e"/> stands for, or null when it says nothing about the record's data.</summary>
    public static RefusedRecord? Of(string record, Exception e) => e switch
    {
        WfdbFormatException w => new RefusedRecord(record, w.File, $"{w.Field}: {w.Problem}"),
        RecordRefusedException r => r.Refusal,
        _ => null,
    };
}

/// <summary>A record whose data cannot serve the command; the message names the record, the file and the reason.</summary>
internal sealed class RecordRefusedException(RefusedRecord refusal, Exception? inner = null) : Exception(refusal.ToString(), inner)
{
    public RefusedRecord Refusal { get; } = refusal;
}

/// <summary>
/// The records a command refused, for commands that go over a folder. Without <c>--keep-going</c> the first bad
/// record stops the command with an error naming the record, the file and the reason; with it the command goes on,
/// lists every refused record at the end and exits with <see cref="ExitCode"/>.
/// </summary>
internal sealed class RecordRefusals(bool keepGoing)
{
    public const string Option = "--keep-going";

    public const string Description = "Go on past a record that cannot be read or used; list every refused record and why at the end, and exit with code 3.";

    /// <summary>The exit code of a command that finished but refused records.</summary>
    public const int ExitCode = 3;

    private readonly ConcurrentDictionary<string, RefusedRecord> _refused = new(StringComparer.Ordinal);

    public bool KeepGoing => keepGoing;

    /// <summary>The refused records, by name.</summary>
    public IReadOnlyList<RefusedRecord> Refused => [.. _refused.Values.OrderBy(r => r.Record, StringComparer.Ordinal)];

    public bool Any => !_refused.IsEmpty;

    /// <summary>The work of one record; null when the record was refused and the command goes on.</summary>
    public T? Try<T>(string record, Func<T> work) where T : class
    {
        try
        {
            return work();
        }
        catch (Exception e) when (RefusedRecord.Of(record, e) is { } refusal)
        {
            Refuse(refusal, e);
            return null;
        }
    }

    /// <summary>The asynchronous work of one record; false when the record was refused and the command goes on.</summary>
    public async Task<bool> TryAsync(string record, Func<Task> work)
    {
        try
        {
            await work();
            return true;
        }
        catch (Exception e) when (RefusedRecord.Of(record, e) is { } refusal)
        {
            Refuse(refusal, e);
            return false;
        }
    }

    /// <summary>
    /// The work of every record, several at once, in record order (null for a refused record). Without --keep-going
    /// the failure of the first record in order among those that failed is the one thrown.
    /// </summary>
    public T?[] ForEach<T>(IReadOnlyList<string> records, Func<string, T> work, CancellationToken cancellation) where T : class
    {
        var results = new T?[records.Count];
        var failures = new ConcurrentDictionary<int, ExceptionDispatchInfo>();
        Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = cancellation }, (i, loop) =>
        {
            try
            {
                results[i] = Try(records[i], () => work(records[i]));
            }
            catch (Exception e)
            {
                // Break, not Stop: the records before this one still run, so the error reported is the first in order.
                failures[i] = ExceptionDispatchInfo.Capture(e);
                loop.Break();
            }
        });
        if (!failures.IsEmpty) failures[failures.Keys.Min()].Throw();
        return results;
    }

    /// <summary>
    /// Lists the refused records (on standard error when standard output carries JSON) and returns the command's exit
    /// code: 0, or <see cref="ExitCode"/> when any record was refused.
    /// </summary>
    public int Report(int records, bool json = false)
    {
        if (!Any) return 0;
        var lines = Refused.Select(r => $"  {r}").Prepend($"refused {_refused.Count} of {records} records:");
        if (json)
        {
            foreach (var line in lines) Console.Error.WriteLine(line);
        }
        else
        {
            foreach (var line in lines) AnsiConsole.MarkupLineInterpolated($"[yellow]{line}[/]");
        }
        return ExitCode;
    }

    private void Refuse(RefusedRecord refusal, Exception e)
    {
        // Both kinds of refusal already name the record, the file and the reason: stop with them as they are.
        if (!keepGoing) ExceptionDispatchInfo.Throw(e);
        _refused[refusal.Record] = refusal;
    }
}
