namespace EcgOrleans.Signal.Synthetic;

/// <summary>
/// xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64. The generator owns its
/// algorithm so that a seed gives the same record on every .NET version: System.Random(seed) does
/// not promise to keep its sequence. Each concern (rhythm, morphology, noise of each lead) draws
/// from its own stream, so adding draws to one never shifts the numbers of another.
/// Floating-point results go through Math.Log/Exp/Sin, which the runtime takes from the platform's
/// C library: records are bit-identical on one platform and agree to the last bit almost always
/// (differences of one ulp are then hidden by the 5 µV quantisation) across platforms.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareGaussian;

    public SeededRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>A generator in a given state (for checking the algorithm against its published outputs).</summary>
    internal static SeededRandom FromState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        var random = new SeededRandom(0);
        (random._s0, random._s1, random._s2, random._s3) = (s0, s1, s2, s3);
        return random;
    }

    /// <summary>The stream named <paramref name="stream"/> of the seed <paramref name="seed"/>.</summary>
    public static SeededRandom For(long seed, string stream)
    {
        // FNV-1a of the stream name, mixed with the seed: independent streams per name.
        var hash = 14695981039346656037UL;
        foreach (var c in stream)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return new SeededRandom(hash ^ (ulong)seed * 0x9E3779B97F4A7C15UL);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>+1 or -1 with equal probability.</summary>
    public int Sign() => (NextUInt64() >> 63) == 0 ? 1 : -1;

    /// <summary>Standard normal deviate (Marsaglia's polar method: no sine or cosine).</summary>
    public double Gaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s is >= 1 or 0);
        var factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        return u * factor;
    }

    /// <summary>Index drawn with the given (non-negative, not all zero) weights.</summary>
    public int Choose(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var target = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target < 0) return i;
        }
        for (var i = weights.Length - 1; i >= 0; i--)
        {
            if (weights[i] > 0) return i;
        }
        throw new ArgumentException("at least one weight must be positive", nameof(weights));
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ z >> 30) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ z >> 27) * 0x94D049BB133111EBUL;
        return z ^ z >> 31;
    }

    private static ulong RotateLeft(ulong x, int k) => x << k | x >> (64 - k);
}
