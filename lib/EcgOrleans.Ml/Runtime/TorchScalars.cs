using TorchSharp;
using static TorchSharp.torch;

namespace EcgOrleans.Ml.Runtime;

/// <summary>
/// Tensor arithmetic with numbers whose <see cref="Scalar"/> stays alive for the whole native call.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 turns numbers into Scalars implicitly (the alpha of every tensor <c>+</c> and <c>-</c>,
/// <c>x * 0.5</c>, a comparison with a number) and hands LibTorch only their native handle. Nothing then keeps the
/// Scalar reachable, so a garbage collection triggered on another thread may finalize it, freeing the native
/// scalar, while LibTorch still reads it: under parallel scoring that surfaced as "Expected false to be true …
/// toFloat at c10/core/Scalar.h" and "Unknown scalar type" from <c>THSTensor_add</c>. Every Scalar here is either a
/// static field (reachable for the life of the process) or held by <c>using</c> until the call has returned.
/// <c>ScalarLifetimeTests</c> reads the library's IL and fails on any call that makes a Scalar nobody holds.
/// </remarks>
public static class TorchScalars
{
    // The alpha of sums and differences; LibTorch only reads a Scalar, so one instance serves every thread.
    private static readonly Scalar One = 1.ToScalar();

    /// <summary><paramref name="left"/> + <paramref name="right"/> (broadcasting as <c>+</c> does).</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><paramref name="left"/> - <paramref name="right"/>.</summary>
    public static Tensor Minus(this Tensor left, Tensor right) => left.sub(right);

    public static Tensor Plus(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.add(scalar, One);
    }

    public static Tensor Minus(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.sub(scalar);
    }

    public static Tensor Times(this Tensor tensor, double factor)
    {
        using var scalar = factor.ToScalar();
        return tensor.mul(scalar);
    }

    public static Tensor Over(this Tensor tensor, double divisor)
    {
        using var scalar = divisor.ToScalar();
        return tensor.div(scalar);
    }

    /// <summary>Elementwise <paramref name="tensor"/> &gt; <paramref name="value"/> (bool).</summary>
    public static Tensor GreaterThan(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.gt(scalar);
    }

    /// <summary>Elementwise <paramref name="tensor"/> &gt;= <paramref name="value"/> (bool).</summary>
    public static Tensor AtLeast(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.ge(scalar);
    }

    /// <summary>Integer bounds, so that an integer tensor stays an integer tensor.</summary>
    public static Tensor Clamp(this Tensor tensor, long min, long max)
    {
        using var low = min.ToScalar();
        using var high = max.ToScalar();
        return tensor.clamp(low, high);
    }

    /// <summary><paramref name="value"/> where <paramref name="mask"/> is true, <paramref name="tensor"/> elsewhere.</summary>
    public static Tensor Filled(this Tensor tensor, Tensor mask, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.masked_fill(mask, scalar);
    }

    /// <summary>In place: <paramref name="tensor"/> = <paramref name="keep"/> · tensor + <paramref name="weight"/> · <paramref name="other"/>.</summary>
    public static Tensor BlendInPlace(this Tensor tensor, double keep, Tensor other, double weight)
    {
        using var keepScalar = keep.ToScalar();
        using var weightScalar = weight.ToScalar();
        return tensor.mul_(keepScalar).add_(other, weightScalar);
    }

    /// <summary>0, 1, …, <paramref name="count"/> - 1 as int64.</summary>
    public static Tensor Range(long count)
    {
        using var start = 0L.ToScalar();
        using var stop = count.ToScalar();
        using var step = 1L.ToScalar();
        return arange(start, stop, step, dtype: ScalarType.Int64);
    }
}
