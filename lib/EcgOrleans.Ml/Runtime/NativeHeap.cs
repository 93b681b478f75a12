using System.Runtime.InteropServices;

namespace EcgOrleans.Ml.Runtime;

/// <summary>
/// How glibc's malloc treats LibTorch's tensor buffers. A saliency pass allocates and frees many large buffers.
/// With glibc's defaults each one is mapped fresh from the kernel and unmapped when freed, so every pass pays page
/// faults to touch its buffers again, a large share of a pass's time on the machines measured (figures in
/// bench/README.md, "The two changes, and how they were found").
/// So buffers below 32 MiB (glibc's ceiling for this setting) come from the heap, and a heap keeps up to
/// <see cref="TrimThresholdBytes"/> of free memory at its top instead of returning it at once. The memory kept is
/// what the largest pass needed, so a process's peak is unchanged; it just stops shrinking between passes.
/// </summary>
public static class NativeHeap
{
    /// <summary>Set to <c>default</c> to leave glibc's settings alone (to measure what this saves).</summary>
    public const string Variable = "ECG_NATIVE_HEAP";

    public const int MmapThresholdBytes = 32 << 20;
    public const int TrimThresholdBytes = 512 << 20;

    /// <summary>
    /// Heaps (glibc arenas) shared by all threads. glibc's default, 8 per core, lets every thread-pool thread that
    /// runs a model grain grow its own heap to a pass's size and keep it; two serve two busy model workers. The silo
    /// launchers (deploy/, launchSettings.json, ecg scale) also set MALLOC_ARENA_MAX=2: an environment variable
    /// bounds the arenas threads create before this runs as well.
    /// </summary>
    public const int ArenaCount = 2;

    private const int MallocTrimThreshold = -1; // M_TRIM_THRESHOLD in <malloc.h>
    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int MallocArenaMax = -8; // M_ARENA_MAX

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>
    /// Applies the settings once per process and says whether they are in force: false when
    /// <see cref="Variable"/> is <c>default</c> or the C library is not glibc. Safe to call from any thread, any
    /// number of times; only allocations made afterwards are affected.
    /// </summary>
    public static bool Configure() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (string.Equals(Environment.GetEnvironmentVariable(Variable), "default", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            // mallopt returns 1 on success; musl and other C libraries lack it or ignore it.
            return mallopt(MallocMmapThreshold, MmapThresholdBytes) == 1 && mallopt(MallocTrimThreshold, TrimThresholdBytes) == 1
                && mallopt(MallocArenaMax, ArenaCount) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int mallopt(int parameter, int value);
}
