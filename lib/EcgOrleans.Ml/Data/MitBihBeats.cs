using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Ml.Data;

/// <summary>Reads records of a WFDB database (MIT-BIH) and cuts their annotated beats into a <see cref="BeatSet"/>.</summary>
public static class MitBihBeats
{
    /// <summary>
    /// The annotated beats of <paramref name="records"/> in <paramref name="directory"/>, in record order, cut in
    /// <paramref name="representation"/>, with the first <paramref name="rhythmCount"/> beat features. Records are read
    /// in parallel (results do not depend on it).
    /// </summary>
    public static BeatSet Load(string directory, IReadOnlyList<string> records, BeatRepresentation representation, int rhythmCount, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) throw new ArgumentException("no records to load", nameof(records));
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"data directory {directory} does not exist");
        var sets = new BeatSet[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var record = WfdbRecord.Read(directory, records[i]);
            var beats = RecordBeats.Extract(record, representation);
            sets[i] = BeatSet.FromBeats(beats, representation.Length, rhythmCount);
            progress?.Report(records[i]);
        });
        return BeatSet.Concat(sets);
    }
}
