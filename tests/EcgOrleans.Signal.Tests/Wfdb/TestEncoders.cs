namespace EcgOrleans.Signal.Tests.Wfdb;

/// <summary>Independent encoders for the WFDB formats, written from signal(5), to check the decoders against.</summary>
internal static class TestEncoders
{
    public static byte[] Encode(int format, IReadOnlyList<int> interleaved, int signals, int initial)
    {
        var output = new List<byte>();
        var previous = Enumerable.Repeat(initial, signals).ToArray();
        for (var i = 0; i < interleaved.Count; i++)
        {
            var v = interleaved[i];
            switch (format)
            {
                case 8:
                    var diff = v - previous[i % signals];
                    previous[i % signals] = v;
                    output.Add((byte)(sbyte)diff);
                    break;
                case 16: output.Add((byte)v); output.Add((byte)(v >> 8)); break;
                case 61: output.Add((byte)(v >> 8)); output.Add((byte)v); break;
                case 80: output.Add((byte)(v + 128)); break;
                case 160: output.Add((byte)(v + 32768)); output.Add((byte)((v + 32768) >> 8)); break;
                case 24: output.Add((byte)v); output.Add((byte)(v >> 8)); output.Add((byte)(v >> 16)); break;
                case 32: output.AddRange(BitConverter.GetBytes(v)); break;
                case 212:
                    if (i % 2 == 1)
                    {
                        var a = interleaved[i - 1] & 0xFFF;
                        var b = v & 0xFFF;
                        output.Add((byte)a);
                        output.Add((byte)((a >> 8) | ((b >> 8) << 4)));
                        output.Add((byte)b);
                    }
                    break;
                case 310:
                    if (i % 3 == 2)
                    {
                        int a = interleaved[i - 2] & 0x3FF, b = interleaved[i - 1] & 0x3FF, c = v & 0x3FF;
                        var w0 = (a << 1) | ((c & 0x1F) << 11);
                        var w1 = (b << 1) | ((c >> 5) << 11);
                        output.Add((byte)w0); output.Add((byte)(w0 >> 8));
                        output.Add((byte)w1); output.Add((byte)(w1 >> 8));
                    }
                    break;
                case 311:
                    if (i % 3 == 2)
                    {
                        var w = (uint)(interleaved[i - 2] & 0x3FF) | (uint)(interleaved[i - 1] & 0x3FF) << 10 | (uint)(v & 0x3FF) << 20;
                        output.AddRange(BitConverter.GetBytes(w));
                    }
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(format));
            }
        }
        return [.. output];
    }
}
