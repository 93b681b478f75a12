namespace EcgOrleans.Signal.Wfdb;

/// <summary>
/// Decoders for the WFDB signal formats (signal(5) of the WFDB Applications Guide). A decoder
/// turns the interleaved byte stream of one signal file into interleaved digital samples and
/// keeps the state a stream needs between calls (format 8's running value), so a file can be
/// decoded in pieces of any size as long as each piece holds whole groups.
/// </summary>
public static class SignalFormats
{
    public static IReadOnlyList<int> Supported { get; } = [8, 16, 24, 32, 61, 80, 160, 212, 310, 311];

    public static bool IsSupported(int format) => format switch
    {
        8 or 16 or 24 or 32 or 61 or 80 or 160 or 212 or 310 or 311 => true,
        _ => false,
    };

    public static int DefaultResolution(int format) => format switch
    {
        8 or 80 => 8,
        212 => 12,
        310 or 311 => 10,
        24 => 24,
        32 => 32,
        _ => 16,
    };

    /// <summary>Bytes in one group: the smallest run of bytes that decodes to whole samples.</summary>
    public static int BytesPerGroup(int format) => format switch
    {
        8 or 80 => 1,
        16 or 61 or 160 => 2,
        24 => 3,
        32 => 4,
        212 => 3,
        310 or 311 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unsupported format"),
    };

    /// <summary>Samples in one group.</summary>
    public static int SamplesPerGroup(int format) => format switch
    {
        212 => 2,
        310 or 311 => 3,
        _ => 1,
    };

    /// <summary>
    /// Bytes that hold <paramref name="samples"/> samples, a partial last group included; an
    /// <see cref="OverflowException"/> when that is more than a long counts (a header's absurd sample count).
    /// </summary>
    public static long BytesFor(int format, long samples) => checked(format switch
    {
        212 => samples / 2 * 3 + (samples % 2 == 0 ? 0 : 2),
        310 or 311 => samples / 3 * 4 + (samples % 3) * 2,
        _ => samples * BytesPerGroup(format),
    });
}

/// <summary>Streaming decoder of one signal file's interleaved samples.</summary>
public sealed class SignalFileDecoder
{
    private readonly int _format;
    private readonly int _signals;
    private readonly int[] _running; // format 8: the value each signal's differences add to
    private int _nextSignal;

    public SignalFileDecoder(int format, int signalsInFile, IReadOnlyList<int>? initialValues = null)
    {
        if (!SignalFormats.IsSupported(format)) throw new ArgumentOutOfRangeException(nameof(format), format, "unsupported format");
        ArgumentOutOfRangeException.ThrowIfLessThan(signalsInFile, 1);
        _format = format;
        _signals = signalsInFile;
        _running = new int[signalsInFile];
        if (initialValues is not null)
        {
            for (var i = 0; i < signalsInFile; i++) _running[i] = initialValues[i];
        }
    }

    public int BytesPerGroup => SignalFormats.BytesPerGroup(_format);

    public int SamplesPerGroup => SignalFormats.SamplesPerGroup(_format);

    /// <summary>
    /// Decodes whole groups from <paramref name="input"/> into <paramref name="output"/> (interleaved samples),
    /// as many as both spans allow. Returns the number of samples written; <paramref name="bytesConsumed"/>
    /// is always a multiple of <see cref="BytesPerGroup"/>.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> input, Span<int> output, out int bytesConsumed)
    {
        var groups = Math.Min(input.Length / BytesPerGroup, output.Length / SamplesPerGroup);
        bytesConsumed = groups * BytesPerGroup;
        var samples = groups * SamplesPerGroup;
        var bytes = input[..bytesConsumed];
        var dest = output[..samples];
        switch (_format)
        {
            case 212: Decode212(bytes, dest); break;
            case 16: Decode16(bytes, dest); break;
            case 61: for (var i = 0; i < samples; i++) dest[i] = (short)(bytes[2 * i] << 8 | bytes[2 * i + 1]); break;
            case 160: for (var i = 0; i < samples; i++) dest[i] = (bytes[2 * i] | bytes[2 * i + 1] << 8) - 32768; break;
            case 80: for (var i = 0; i < samples; i++) dest[i] = bytes[i] - 128; break;
            case 24: for (var i = 0; i < samples; i++) dest[i] = (bytes[3 * i] | bytes[3 * i + 1] << 8 | bytes[3 * i + 2] << 16) << 8 >> 8; break;
            case 32: for (var i = 0; i < samples; i++) dest[i] = bytes[4 * i] | bytes[4 * i + 1] << 8 | bytes[4 * i + 2] << 16 | bytes[4 * i + 3] << 24; break;
            case 8: Decode8(bytes, dest); break;
            case 310: Decode310(bytes, dest); break;
            case 311: Decode311(bytes, dest); break;
        }
        return samples;
    }

    /// <summary>
    /// Decodes the final, partial group of a file whose sample count is not a multiple of the group
    /// size (formats 212, 310 and 311 write only the bytes the last samples need).
    /// </summary>
    public int DecodeTail(ReadOnlySpan<byte> input, Span<int> output, int samples)
    {
        Span<byte> padded = stackalloc byte[4];
        padded.Clear();
        input.CopyTo(padded);
        Span<int> group = stackalloc int[3];
        Decode(padded[..BytesPerGroup], group, out _);
        group[..samples].CopyTo(output);
        return samples;
    }

    private static void Decode212(ReadOnlySpan<byte> bytes, Span<int> dest)
    {
        var pairs = dest.Length / 2;
        for (var i = 0; i < pairs; i++)
        {
            int b0 = bytes[3 * i], b1 = bytes[3 * i + 1], b2 = bytes[3 * i + 2];
            // 12-bit two's complement: shift the sign bit into bit 31, then back.
            dest[2 * i] = (b0 | (b1 & 0x0F) << 8) << 20 >> 20;
            dest[2 * i + 1] = (b2 | (b1 & 0xF0) << 4) << 20 >> 20;
        }
    }

    private static void Decode16(ReadOnlySpan<byte> bytes, Span<int> dest)
    {
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes);
        if (BitConverter.IsLittleEndian)
        {
            for (var i = 0; i < dest.Length; i++) dest[i] = words[i];
        }
        else
        {
            for (var i = 0; i < dest.Length; i++) dest[i] = (short)(bytes[2 * i] | bytes[2 * i + 1] << 8);
        }
    }

    private void Decode8(ReadOnlySpan<byte> bytes, Span<int> dest)
    {
        for (var i = 0; i < dest.Length; i++)
        {
            _running[_nextSignal] += (sbyte)bytes[i];
            dest[i] = _running[_nextSignal];
            if (++_nextSignal == _signals) _nextSignal = 0;
        }
    }

    private static void Decode310(ReadOnlySpan<byte> bytes, Span<int> dest)
    {
        var groups = dest.Length / 3;
        for (var i = 0; i < groups; i++)
        {
            var w0 = bytes[4 * i] | bytes[4 * i + 1] << 8;
            var w1 = bytes[4 * i + 2] | bytes[4 * i + 3] << 8;
            dest[3 * i] = (w0 >> 1 & 0x3FF) << 22 >> 22;
            dest[3 * i + 1] = (w1 >> 1 & 0x3FF) << 22 >> 22;
            dest[3 * i + 2] = (w0 >> 11 | (w1 >> 11) << 5) << 22 >> 22;
        }
    }

    private static void Decode311(ReadOnlySpan<byte> bytes, Span<int> dest)
    {
        var groups = dest.Length / 3;
        for (var i = 0; i < groups; i++)
        {
            var w = (uint)(bytes[4 * i] | bytes[4 * i + 1] << 8 | bytes[4 * i + 2] << 16 | bytes[4 * i + 3] << 24);
            dest[3 * i] = (int)(w & 0x3FF) << 22 >> 22;
            dest[3 * i + 1] = (int)(w >> 10 & 0x3FF) << 22 >> 22;
            dest[3 * i + 2] = (int)(w >> 20 & 0x3FF) << 22 >> 22;
        }
    }
}
