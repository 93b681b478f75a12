using TorchSharp;

namespace EcgOrleans.Ml.Runtime;

/// <summary>LibTorch's thread settings, set once per process.</summary>
public static class TorchThreads
{
    /// <summary>
    /// Sets LibTorch's intra-op thread count (torch.set_num_threads); 0 means one per core. Call once at process
    /// start-up, before any tensor work on any thread: with the OpenMP backend a thread adopts the count at its first
    /// parallel operation and keeps it. LibTorch work runs one call at a time (<see cref="TorchGate"/>), so each call
    /// should have every core.
    /// </summary>
    public static void Configure(int intraOpThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        torch.set_num_threads(intraOpThreads == 0 ? Environment.ProcessorCount : intraOpThreads);
    }

    public static int Current => torch.get_num_threads();
}
