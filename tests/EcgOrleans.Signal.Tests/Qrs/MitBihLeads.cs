using System.Collections.Concurrent;
using EcgOrleans.Signal.Wfdb;
using EcgOrleans.Tests;

namespace EcgOrleans.Signal.Tests.Qrs;

/// <summary>The primary lead (mV) and annotations of a few MIT-BIH records, read once per test run.</summary>
internal static class MitBihLeads
{
    public const double Fs = 360;

    private static readonly ConcurrentDictionary<string, Lazy<(float[] Lead, IReadOnlyList<Annotation> Annotations)>> Cache = new();

    public static float[] Lead(string record) => Get(record).Lead;

    public static IReadOnlyList<Annotation> Annotations(string record) => Get(record).Annotations;

    /// <summary>A copy of the lead from <paramref name="fromSeconds"/> (inclusive) to <paramref name="toSeconds"/> (exclusive).</summary>
    public static float[] Segment(string record, double fromSeconds, double toSeconds) =>
        Lead(record)[(int)(fromSeconds * Fs)..(int)(toSeconds * Fs)];

    private static (float[] Lead, IReadOnlyList<Annotation> Annotations) Get(string record) =>
        Cache.GetOrAdd(record, name => new Lazy<(float[], IReadOnlyList<Annotation>)>(() =>
        {
            var read = WfdbRecord.Read(TestData.MitBihDirectory, name);
            return (read.Physical(read.PrimaryLead), read.Annotations);
        })).Value;
}
