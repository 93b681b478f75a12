using System.Runtime.InteropServices;
using TorchSharp;

namespace EcgOrleans.Ml.Runtime;

/// <summary>
/// LibTorch's own log below errors. Its warnings go straight to stderr and some repeat on every call: on a CPU that
/// NNPACK does not support, "Could not initialize NNPACK! Reason: Unsupported hardware." is printed by every
/// convolution of a small batch, tens of thousands of lines a minute in a silo. TorchSharp never initialises
/// LibTorch's logging, so the <c>TORCH_CPP_LOG_LEVEL</c> variable that would silence it is not read unless this
/// does: it sets the variable (to ERROR, unless the environment already sets it) and runs c10's initialisation.
/// </summary>
public static class NativeLog
{
    public const string Variable = "TORCH_CPP_LOG_LEVEL";

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>Applies the level once per process and says whether it is in force; safe from any thread.</summary>
    public static bool Configure() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            // The native environment, not .NET's copy of it: c10 reads it with getenv. 0: keep a level the user set.
            if (setenv(Variable, "ERROR", 0) != 0) return false;
            InitLogging();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int setenv(string name, string value, int overwrite);

    // c10::initLogging(): reads TORCH_CPP_LOG_LEVEL into c10's minimum log level.
    [DllImport("c10", EntryPoint = "_ZN3c1011initLoggingEv", ExactSpelling = true)]
    private static extern void InitLogging();
}
