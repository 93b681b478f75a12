namespace EcgOrleans.Ml.Runtime;

/// <summary>
/// LibTorch work of this process, one call at a time. LibTorch 2.10's oneDNN is not safe when it creates a primitive
/// (it does for every new shape) while another thread runs convolutions: its brgemm convolutions then fault on a null
/// batch pointer. Shown by <c>bench/EcgOrleans.Experiments concurrent-scoring</c>: with oneDNN's primitive cache held
/// small, so that every call creates primitives, four ungated threads crash within seconds and gated ones never do;
/// with every shape created first on one thread, ungated threads run clean. Each call still uses every core
/// (<see cref="TorchThreads"/>): the parallelism is inside LibTorch, where oneDNN creates primitives on the calling
/// thread only.
/// </summary>
public static class TorchGate
{
    private static readonly Lock Gate = new();

    /// <summary>Waits for the gate; dispose the result to leave it. Re-entrant on the same thread.</summary>
    public static Lock.Scope Enter() => Gate.EnterScope();
}
