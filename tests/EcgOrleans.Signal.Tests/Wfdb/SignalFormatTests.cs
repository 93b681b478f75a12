using EcgOrleans.Signal.Wfdb;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgOrleans.Signal.Tests.Wfdb;

public sealed class SignalFormatTests
{
    [Fact]
    public void Format_212_unpacks_two_12_bit_samples_from_three_bytes()
    {
        // s0 = -1 (0xFFF), s1 = 2047 (0x7FF): byte 1 holds s0's high nibble low, s1's high nibble high.
        byte[] bytes = [0xFF, 0x7F, 0xFF, 0x00, 0x08, 0x01];
        var samples = new int[4];

        var written = new SignalFileDecoder(212, 2).Decode(bytes, samples, out var consumed);

        Assert.Equal(4, written);
        Assert.Equal(6, consumed);
        Assert.Equal([-1, 2047, -2048, 1], samples);
    }

    [Fact]
    public void Format_8_adds_first_differences_to_each_signal_initial_value()
    {
        byte[] bytes = [1, 0xFF, 2, 0xFE];
        var samples = new int[4];

        new SignalFileDecoder(8, 2, [100, -100]).Decode(bytes, samples, out _);

        Assert.Equal([101, -101, 103, -103], samples);
    }

    public static TheoryData<int> Formats => [8, 16, 24, 32, 61, 80, 160, 212, 310, 311];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_format_round_trips_random_samples_in_any_piece_sizes(int format)
    {
        var bits = SignalFormats.DefaultResolution(format);
        var random = new Random(format);
        var count = 300 * SignalFormats.SamplesPerGroup(format);
        var values = new int[count];
        var low = -(1L << (bits - 1));
        var high = (1L << (bits - 1)) - 1;
        for (var i = 0; i < count; i++)
        {
            // Format 8 stores first differences of at most a byte.
            values[i] = format == 8
                ? (i == 0 ? 0 : values[i - 1]) + random.Next(-100, 101)
                : (int)random.NextInt64(low, high + 1);
        }
        var bytes = TestEncoders.Encode(format, values, signals: 1, initial: 0);

        var decoder = new SignalFileDecoder(format, 1, [0]);
        var decoded = new List<int>();
        var carried = new List<byte>();
        var at = 0;
        while (at < bytes.Length)
        {
            var piece = Math.Min(bytes.Length - at, random.Next(1, 64));
            carried.AddRange(bytes.AsSpan(at, piece).ToArray());
            at += piece;
            var output = new int[carried.Count * 3];
            var written = decoder.Decode(carried.ToArray(), output, out var consumed);
            decoded.AddRange(output[..written]);
            carried.RemoveRange(0, consumed);
        }

        Assert.Equal(values, decoded);
    }

    [Property(MaxTest = 200)]
    public Property Format_212_round_trips_any_12_bit_values(int[] raw)
    {
        var values = raw.Select(v => (v % 2048 + 2048) % 4096 - 2048).ToArray();
        if (values.Length % 2 == 1) values = [.. values, 0];
        var bytes = TestEncoders.Encode(212, values, 1, 0);
        var decoded = new int[values.Length];
        new SignalFileDecoder(212, 1).Decode(bytes, decoded, out _);
        return decoded.SequenceEqual(values).ToProperty();
    }

    [Fact]
    public void Bytes_for_a_partial_last_group_follow_the_WFDB_library()
    {
        Assert.Equal(3, SignalFormats.BytesFor(212, 2));
        Assert.Equal(5, SignalFormats.BytesFor(212, 3));
        Assert.Equal(4, SignalFormats.BytesFor(310, 3));
        Assert.Equal(6, SignalFormats.BytesFor(310, 4));
        Assert.Equal(8, SignalFormats.BytesFor(16, 4));
    }

    [Fact]
    public void A_missing_sample_becomes_NaN_in_physical_units()
    {
        var spec = new SignalSpec("r.dat", 212, 1, 0, 0, 200, 1024, "mV", 12, 1024, null, null, 0, "MLII");

        Assert.True(float.IsNaN(spec.ToPhysical(-2048)));
        Assert.Equal(1.0f, spec.ToPhysical(1224));
    }
}
