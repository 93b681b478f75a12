namespace EcgOrleans.Signal.Wfdb;

/// <summary>
/// The one error type of the WFDB readers: what was wrong, in which record, file and field.
/// Every malformed input ends in this exception, never in an index, overflow or I/O exception.
/// </summary>
public sealed class WfdbFormatException : Exception
{
    public WfdbFormatException(string record, string file, string field, string problem, Exception? inner = null)
        : base($"record {record}, file {file}, {field}: {problem}", inner)
    {
        Record = record;
        File = file;
        Field = field;
        Problem = problem;
    }

    public string Record { get; }
    public string File { get; }
    public string Field { get; }
    public string Problem { get; }
}
