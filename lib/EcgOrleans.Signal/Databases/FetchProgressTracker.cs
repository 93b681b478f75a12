namespace EcgOrleans.Signal.Databases;

/// <summary>Keeps the byte and file counts of a fetch and hands a <see cref="FetchProgress"/> to the caller's callback.</summary>
internal sealed class FetchProgressTracker(Action<FetchProgress>? callback, int filesTotal)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long?> _lengths = new(StringComparer.Ordinal);
    private long _bytesDone; // bytes of finished files
    private int _filesDone;
    private string _file = "";
    private long _fileBytes;

    /// <summary>A file's length, from a HEAD request, before it is fetched.</summary>
    public void SetLength(string file, long length)
    {
        lock (_lock) _lengths[file] = length;
    }

    public void Present(string file, long length)
    {
        lock (_lock)
        {
            _lengths[file] = length;
            _bytesDone += length;
            _filesDone++;
            Report(file, length);
        }
    }

    /// <summary>A GET answered: the file holds <paramref name="offset"/> bytes and will hold <paramref name="length"/>.</summary>
    public void Receiving(string file, long offset, long? length)
    {
        lock (_lock)
        {
            if (length is not null || !_lengths.ContainsKey(file)) _lengths[file] = length;
            _file = file;
            _fileBytes = offset;
            Report(file, offset);
        }
    }

    public void Received(string file, int bytes)
    {
        lock (_lock)
        {
            _fileBytes += bytes;
            Report(file, _fileBytes);
        }
    }

    public void Restart(string file)
    {
        lock (_lock)
        {
            _fileBytes = 0;
            Report(file, 0);
        }
    }

    public void Finished(string file, long length)
    {
        lock (_lock)
        {
            _lengths[file] = length;
            _bytesDone += length;
            _filesDone++;
            _file = "";
            _fileBytes = 0;
            Report(file, length);
        }
    }

    private void Report(string file, long fileBytes)
    {
        if (callback is null) return;
        long? total = _lengths.Count == filesTotal && _lengths.Values.All(l => l is not null) ? _lengths.Values.Sum(l => l!.Value) : null;
        var done = _bytesDone + (_file == file ? _fileBytes : 0);
        _lengths.TryGetValue(file, out var length);
        callback(new FetchProgress(file, fileBytes, length, done, total, _filesDone, filesTotal));
    }
}
