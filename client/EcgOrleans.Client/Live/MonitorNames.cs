using System.Globalization;

namespace EcgOrleans.Client.Live;

/// <summary>
/// Record names of live monitors: "monitor-000001", "monitor-000002", ... One width for every fleet size up to
/// <see cref="MaxMonitors"/>, so that names sort in monitor order and a monitor keeps its record whatever the size
/// of the fleet it runs in.
/// </summary>
internal static class MonitorNames
{
    public const int MaxMonitors = 100_000;

    private const string Prefix = "monitor-";
    private static readonly string Digits = "D" + MaxMonitors.ToString(CultureInfo.InvariantCulture).Length.ToString(CultureInfo.InvariantCulture);

    /// <summary>The record of monitor <paramref name="index"/> (from 0).</summary>
    public static string RecordName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxMonitors);
        return Prefix + (index + 1).ToString(Digits, CultureInfo.InvariantCulture);
    }
}
