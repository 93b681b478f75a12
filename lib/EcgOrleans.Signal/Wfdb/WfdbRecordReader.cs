namespace EcgOrleans.Signal.Wfdb;

/// <summary>
/// Streams the samples of a WFDB record, frame by frame, in pieces of any size. Checks as it goes
/// what the header promises: the file holds exactly the samples the header counts, and at the end
/// every signal's first sample and 16-bit checksum match the header.
/// </summary>
public sealed class WfdbRecordReader : IDisposable
{
    private const int ReadBufferBytes = 1 << 16;
    private const int ReadToEndSamples = 1 << 16;

    private readonly SignalFile[] _files;
    private readonly long[] _sums;
    private readonly bool[] _seenFirst;
    private long _framesRead;
    private bool _verified;

    private WfdbRecordReader(RecordHeader header, Func<string, Stream> openSignalFile)
    {
        Header = header;
        _sums = new long[header.SignalCount];
        _seenFirst = new bool[header.SignalCount];
        var groups = header.Signals
            .Select((spec, index) => (spec, index))
            .GroupBy(s => s.spec.FileName, StringComparer.Ordinal)
            .ToList();
        _files = new SignalFile[groups.Count];
        try
        {
            for (var g = 0; g < groups.Count; g++)
                _files[g] = SignalFile.Open(openSignalFile, header, [.. groups[g].Select(s => s.index)]);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public RecordHeader Header { get; }

    public string RecordName => Header.Name;

    /// <summary>Frames read so far (one frame = one sample of every signal).</summary>
    public long FramesRead => _framesRead;

    /// <summary>Opens <c>directory/record.hea</c> and the signal files it names, which must sit beside it.</summary>
    public static WfdbRecordReader Open(string directory, string recordName)
    {
        var header = ReadHeader(directory, recordName);
        return new WfdbRecordReader(header, name => new FileStream(
            Path.Combine(directory, name), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan));
    }

    /// <summary>
    /// Reads a record whose header is already parsed and whose signal files come from elsewhere than a
    /// folder (memory, an archive, an upload): <paramref name="openSignalFile"/> opens the file a signal
    /// line names, as a seekable stream the reader disposes. An <see cref="IOException"/> it throws
    /// becomes a <see cref="WfdbFormatException"/> naming the file.
    /// </summary>
    public static WfdbRecordReader Open(RecordHeader header, Func<string, Stream> openSignalFile) =>
        new(header, openSignalFile);

    public static RecordHeader ReadHeader(string directory, string recordName)
    {
        var fileName = recordName + ".hea";
        if (recordName.Length == 0 || recordName.IndexOfAny(['/', '\\']) >= 0 || recordName is "." or "..")
            throw new WfdbFormatException(recordName, fileName, "record name", "a record name is a plain name, not a path");
        var path = Path.Combine(directory, fileName);
        string text;
        try
        {
            text = File.ReadAllText(path, System.Text.Encoding.Latin1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WfdbFormatException(recordName, fileName, "header file", $"cannot read {path}: {e.Message}", e);
        }
        return HeaderParser.Parse(recordName, text, fileName);
    }

    /// <summary>
    /// Reads up to <c>destination.Length / SignalCount</c> frames of digital samples, interleaved by frame
    /// (signal 0, signal 1, ..., signal 0, ...). Returns the frames read; 0 once the record is exhausted,
    /// after the checksums and initial values were verified.
    /// </summary>
    public int ReadFrames(Span<int> destination)
    {
        var signals = Header.SignalCount;
        if (signals == 0) return 0;
        var wanted = destination.Length / signals;
        if (wanted == 0) throw new ArgumentException($"room for at least one frame ({signals} samples) is needed", nameof(destination));
        if (Header.SampleCount is { } total) wanted = (int)Math.Min(wanted, total - _framesRead);

        var frames = wanted;
        foreach (var file in _files)
            frames = Math.Min(frames, file.Fill(frames, Header));
        if (frames == 0)
        {
            Finish();
            return 0;
        }

        foreach (var file in _files)
            file.Scatter(frames, destination, signals);
        Account(destination[..(frames * signals)], frames);
        _framesRead += frames;
        if (Header.SampleCount is { } count && _framesRead == count) Finish();
        return frames;
    }

    /// <summary>Reads the rest of the record into one array per signal.</summary>
    public int[][] ReadToEnd()
    {
        var signals = Header.SignalCount;
        var capacity = Header.SampleCount is { } n ? n - _framesRead : 1 << 16;
        var result = new List<int>[signals];
        var arrays = new int[signals][];
        if (Header.SampleCount is not null)
        {
            for (var s = 0; s < signals; s++) arrays[s] = new int[capacity];
        }
        else
        {
            for (var s = 0; s < signals; s++) result[s] = [];
        }

        // About 64K samples a call, however many signals: a header of thousands of signals must not make this
        // buffer (and the decoded-sample buffers it sizes) hundreds of megabytes.
        var framesPerCall = (int)Math.Clamp(capacity, 1, ReadToEndSamples / Math.Max(1, signals));
        var buffer = new int[signals * framesPerCall];
        long at = 0;
        int frames;
        while ((frames = ReadFrames(buffer)) > 0)
        {
            for (var s = 0; s < signals; s++)
            {
                if (Header.SampleCount is not null)
                {
                    var target = arrays[s];
                    for (var f = 0; f < frames; f++) target[at + f] = buffer[f * signals + s];
                }
                else
                {
                    for (var f = 0; f < frames; f++) result[s].Add(buffer[f * signals + s]);
                }
            }
            at += frames;
        }
        if (Header.SampleCount is null)
        {
            for (var s = 0; s < signals; s++) arrays[s] = [.. result[s]];
        }
        return arrays;
    }

    public void Dispose()
    {
        foreach (var file in _files) file?.Dispose();
    }

    private void Account(ReadOnlySpan<int> samples, int frames)
    {
        var signals = Header.SignalCount;
        for (var s = 0; s < signals; s++)
        {
            if (!_seenFirst[s])
            {
                _seenFirst[s] = true;
                var spec = Header.Signals[s];
                if (spec.InitialValue is { } initial && samples[s] != initial)
                    throw new WfdbFormatException(RecordName, spec.FileName, $"signal {s} initial value",
                        $"the header says the first sample is {initial}, the file holds {samples[s]}");
            }
            long sum = 0;
            for (var f = 0; f < frames; f++) sum += samples[f * signals + s];
            _sums[s] += sum;
        }
    }

    private void Finish()
    {
        if (_verified) return;
        _verified = true;
        foreach (var file in _files) file.CheckExhausted(Header, _framesRead);
        for (var s = 0; s < Header.SignalCount; s++)
        {
            var spec = Header.Signals[s];
            if (spec.Checksum is { } expected && (short)_sums[s] != (short)expected)
                throw new WfdbFormatException(RecordName, spec.FileName, $"signal {s} checksum",
                    $"the header says {expected}, the samples sum to {(short)_sums[s]} (16-bit)");
        }
    }

    /// <summary>One signal file and the signals it interleaves.</summary>
    private sealed class SignalFile : IDisposable
    {
        private readonly Stream _stream;
        private readonly SignalFileDecoder _decoder;
        private readonly int[] _signalIndices;
        private readonly byte[] _bytes;
        private int _byteStart;
        private int _byteEnd;
        private int[] _samples = [];
        private int _sampleCount; // decoded samples waiting to be scattered
        private bool _endOfFile;
        private long _samplesDecoded;

        private SignalFile(string name, int format, Stream stream, int bufferBytes, int[] signalIndices, IReadOnlyList<int> initialValues)
        {
            _bytes = new byte[bufferBytes];
            Name = name;
            Format = format;
            _stream = stream;
            _signalIndices = signalIndices;
            _decoder = new SignalFileDecoder(format, signalIndices.Length, initialValues);
        }

        public string Name { get; }

        public int Format { get; }

        private int Width => _signalIndices.Length;

        public static SignalFile Open(Func<string, Stream> openSignalFile, RecordHeader header, int[] signalIndices)
        {
            var specs = signalIndices.Select(i => header.Signals[i]).ToArray();
            var name = specs[0].FileName;
            var format = specs[0].Format;
            foreach (var (spec, index) in specs.Zip(signalIndices))
            {
                if (spec.Format != format)
                    throw new WfdbFormatException(header.Name, header.Name + ".hea", $"signal {index} format",
                        $"signals in one file ({name}) must share a format; found {format} and {spec.Format}");
                if (spec.ByteOffset != specs[0].ByteOffset)
                    throw new WfdbFormatException(header.Name, header.Name + ".hea", $"signal {index} byte offset",
                        $"signals in one file ({name}) must share a byte offset");
            }

            Stream stream;
            try
            {
                stream = openSignalFile(name);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new WfdbFormatException(header.Name, name, "signal file", $"cannot open {name}: {e.Message}", e);
            }
            if (!stream.CanSeek)
            {
                stream.Dispose();
                throw new ArgumentException($"the stream opened for {name} cannot seek", nameof(openSignalFile));
            }

            try
            {
                var offset = specs[0].ByteOffset;
                if (offset > stream.Length)
                    throw new WfdbFormatException(header.Name, name, "byte offset", $"offset {offset} lies beyond the end of the {stream.Length}-byte file");
                if (header.SampleCount is { } frames)
                {
                    var expected = FileLength(offset, format, frames, signalIndices.Length);
                    if (expected is null)
                        throw new WfdbFormatException(header.Name, name, "number of samples",
                            $"the header counts {frames} samples per signal, more than any file can hold (this one holds {stream.Length} bytes)");
                    if (stream.Length < expected)
                        throw new WfdbFormatException(header.Name, name, "number of samples",
                            $"the header counts {frames} samples per signal, which need {expected} bytes, but the file holds {stream.Length} (truncated?)");
                    if (stream.Length > expected)
                        throw new WfdbFormatException(header.Name, name, "number of samples",
                            $"the header counts {frames} samples per signal, which need {expected} bytes, but the file holds {stream.Length}");
                }
                stream.Seek(offset, SeekOrigin.Begin);
                var initial = specs.Select(s => s.InitialValue ?? s.AdcZero).ToArray();
                // No bigger than the file: a header that names thousands of tiny files must not cost 64 KiB each.
                var bufferBytes = (int)Math.Clamp(stream.Length - offset, SignalFormats.BytesPerGroup(format), ReadBufferBytes);
                return new SignalFile(name, format, stream, bufferBytes, signalIndices, initial);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>Bytes a file of <paramref name="frames"/> frames needs, its offset included; null past what a long holds.</summary>
        private static long? FileLength(long offset, int format, long frames, int signalsInFile)
        {
            try
            {
                return checked(offset + SignalFormats.BytesFor(format, checked(frames * signalsInFile)));
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        /// <summary>Decodes until <paramref name="frames"/> frames wait (or the file ends); returns the frames available.</summary>
        public int Fill(int frames, RecordHeader header)
        {
            var needed = frames * Width;
            if (_samples.Length < needed + 3) Array.Resize(ref _samples, needed + 3);
            while (_sampleCount < needed)
            {
                if (_byteEnd - _byteStart < _decoder.BytesPerGroup && !_endOfFile) Refill();
                var written = _decoder.Decode(_bytes.AsSpan(_byteStart, _byteEnd - _byteStart),
                    _samples.AsSpan(_sampleCount, needed - _sampleCount + _decoder.SamplesPerGroup - 1), out var consumed);
                _byteStart += consumed;
                _sampleCount += written;
                _samplesDecoded += written;
                if (written == 0 && _endOfFile)
                {
                    DecodeTail(header);
                    break;
                }
            }
            return _sampleCount / Width;
        }

        public void Scatter(int frames, Span<int> destination, int signals)
        {
            var width = Width;
            if (width == signals)
            {
                _samples.AsSpan(0, frames * width).CopyTo(destination);
            }
            else
            {
                for (var f = 0; f < frames; f++)
                {
                    for (var k = 0; k < width; k++)
                        destination[f * signals + _signalIndices[k]] = _samples[f * width + k];
                }
            }
            var used = frames * width;
            Array.Copy(_samples, used, _samples, 0, _sampleCount - used);
            _sampleCount -= used;
        }

        public void CheckExhausted(RecordHeader header, long framesRead)
        {
            if (header.SampleCount is { } count && framesRead < count)
                throw new WfdbFormatException(header.Name, Name, "number of samples",
                    $"the header counts {count} samples per signal, the file ends after {framesRead}");
            if (header.SampleCount is not null) return;
            // Without a count the record ends with its shortest file: what another file still holds was never read.
            var bytesLeft = _byteEnd - _byteStart + (_stream.Length - _stream.Position);
            if (_sampleCount >= Width || bytesLeft > 0)
                throw new WfdbFormatException(header.Name, Name, "number of samples",
                    $"the file holds more than the {framesRead} frames of the record's other signal files");
            if (_sampleCount > 0)
                throw new WfdbFormatException(header.Name, Name, "number of samples",
                    $"the file ends in the middle of a frame ({_samplesDecoded} samples for {Width} signals)");
        }

        public void Dispose() => _stream.Dispose();

        private void Refill()
        {
            var left = _byteEnd - _byteStart;
            Array.Copy(_bytes, _byteStart, _bytes, 0, left);
            _byteStart = 0;
            _byteEnd = left;
            while (_byteEnd < _bytes.Length)
            {
                var n = _stream.Read(_bytes, _byteEnd, _bytes.Length - _byteEnd);
                if (n == 0)
                {
                    _endOfFile = true;
                    break;
                }
                _byteEnd += n;
            }
        }

        /// <summary>Formats 212/310/311 may end in a partial group; decode what the bytes left hold.</summary>
        private void DecodeTail(RecordHeader header)
        {
            var left = _byteEnd - _byteStart;
            if (left == 0) return;
            var samples = SignalFormats.SamplesPerGroup(Format) switch
            {
                2 when left == 2 => 1,
                3 when left == 2 => 1,
                3 when left == 3 => 2,
                _ => -1,
            };
            if (samples < 0)
                throw new WfdbFormatException(header.Name, Name, "number of samples",
                    $"the file ends with {left} stray bytes, not a whole group of format {Format}");
            _decoder.DecodeTail(_bytes.AsSpan(_byteStart, left), _samples.AsSpan(_sampleCount), samples);
            _sampleCount += samples;
            _samplesDecoded += samples;
            _byteStart = _byteEnd;
        }
    }
}
