using System.Globalization;

/// <summary>A silo process seen through /proc: its CPU time and peak resident memory.</summary>
internal sealed class SiloProcess(int pid)
{
    // /proc/<pid>/stat counts CPU in clock ticks, 100 a second on Linux.
    private const double TicksPerSecond = 100;

    public TimeSpan Cpu()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>A line of /proc/pid/status in MiB (VmHWM: peak RSS, VmRSS: now).</summary>
    public double StatusMiB(string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith(key + ":", StringComparison.Ordinal)) continue;
            var kb = line[(key.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
        }
        throw new InvalidOperationException($"no {key} in /proc/{pid}/status");
    }
}
