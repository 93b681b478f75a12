using System.Diagnostics;

namespace EcgOrleans.Tests;

/// <summary>Stop signals sent to a program under test, as a service manager (TERM) or a user's Ctrl+C (INT) sends them.</summary>
public static class StopSignal
{
    /// <summary>Sends SIG<paramref name="signal"/> (TERM, INT) to <paramref name="process"/>; whether it exited within <paramref name="bound"/>.</summary>
    public static async Task<bool> SendAndWaitAsync(Process process, string signal, TimeSpan bound)
    {
        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()])!) await kill.WaitForExitAsync();
        return await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(bound)) is { IsCompletedSuccessfully: true } && process.HasExited;
    }
}
