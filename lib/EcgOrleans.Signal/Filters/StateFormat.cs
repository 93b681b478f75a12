namespace EcgOrleans.Signal.Filters;

/// <summary>Checks for the binary state snapshots of the streaming filters and the segmenter.</summary>
internal static class StateFormat
{
    /// <summary>A count read from a snapshot, refused when outside [0, max] (a corrupt snapshot must not allocate wildly).</summary>
    public static int Count(int value, int max) =>
        value >= 0 && value <= max ? value : throw new InvalidDataException($"corrupt state snapshot: count {value} outside [0, {max}]");
}
