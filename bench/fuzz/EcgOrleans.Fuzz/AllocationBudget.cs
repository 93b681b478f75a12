namespace EcgOrleans.Fuzz;

/// <summary>
/// What a reader may allocate for one input: a fixed allowance (buffers, regex caches, first-call JIT
/// data) plus a multiple of the bytes it was handed. A header that makes a reader allocate far more
/// than its files hold is a denial of service, reported as a crash.
/// </summary>
internal static class AllocationBudget
{
    public const long FixedBytes = 32L << 20;

    /// <summary>Per input byte: a format-8 sample is one byte and four as an int, kept twice (list and array) while growing.</summary>
    public const long BytesPerInputByte = 64;

    public static void Check(long allocated, long inputBytes)
    {
        var allowed = FixedBytes + BytesPerInputByte * inputBytes;
        if (allocated > allowed)
            throw new AllocationBudgetExceededException(
                $"the reader allocated {allocated:N0} bytes for {inputBytes:N0} input bytes (allowed {allowed:N0})");
    }
}

internal sealed class AllocationBudgetExceededException(string message) : Exception(message);
