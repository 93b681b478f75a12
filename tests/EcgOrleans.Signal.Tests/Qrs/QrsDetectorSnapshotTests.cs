using System.Buffers.Binary;
using System.Reflection;
using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Qrs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EcgOrleans.Signal.Tests.Qrs;

/// <summary><see cref="QrsDetector.Snapshot"/> and <see cref="QrsDetector.Restore"/>: a resumed detector carries on exactly.</summary>
[Trait("Category", "Data")]
public sealed class QrsDetectorSnapshotTests
{
    private const double Fs = MitBihLeads.Fs;

    // Two minutes of record 203 (multiform ventricular beats, noise): search-back, T-wave rules and learning all
    // hold state that a snapshot must carry.
    private static readonly Lazy<float[]> Segment203 = new(() => MitBihLeads.Segment("203", 300, 420));
    private static readonly Lazy<IReadOnlyList<long>> Whole203 = new(() => QrsDetector.Detect(Segment203.Value, Fs));

    private static byte[] SnapshotAfter(int samples, QrsDetectorSettings? settings = null)
    {
        var detector = new QrsDetector(Fs, settings ?? QrsDetectorSettings.Default);
        detector.Process(Segment203.Value.AsSpan(0, samples));
        return detector.Snapshot();
    }

    [Property(MaxTest = 25)]
    public Property Restoring_at_random_points_gives_the_detections_of_an_uninterrupted_run(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        var lead = Segment203.Value;
        var detector = new QrsDetector(Fs);
        var detections = new List<long>();
        var restores = 0;
        for (var at = 0; at < lead.Length;)
        {
            // Small chunks early on, so that some snapshots fall in the learning period.
            var size = Math.Min(lead.Length - at, random.Next(1, at < 1000 ? 300 : 6000));
            detections.AddRange(detector.Process(lead.AsSpan(at, size)));
            at += size;
            if (random.Next(3) == 0)
            {
                detector = QrsDetector.Restore(detector.Snapshot());
                restores++;
            }
        }
        detections.AddRange(detector.Complete());
        detections.AddRange(QrsDetector.Restore(detector.Snapshot()).Complete()); // a completed detector stays complete

        return detections.SequenceEqual(Whole203.Value).Label($"{restores} restores: {detections.Count} detections, {Whole203.Value.Count} expected");
    }

    [Fact]
    public void Restoring_after_every_single_sample_gives_the_uninterrupted_detections()
    {
        // Every step then reads only what the snapshot carried: a buffer cut one sample too short would show.
        var lead = Segment203.Value.AsSpan(0, (int)(60 * Fs)).ToArray();
        var expected = QrsDetector.Detect(lead, Fs);
        var detector = new QrsDetector(Fs);
        var detections = new List<long>();
        for (var i = 0; i < lead.Length; i++)
        {
            detections.AddRange(detector.Process(lead.AsSpan(i, 1)));
            detector = QrsDetector.Restore(detector.Snapshot());
        }
        detections.AddRange(detector.Complete());

        Assert.InRange(expected.Count, 100, 250);
        Assert.Equal(expected, detections);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)] // learning
    [InlineData(20_000)]
    [InlineData(43_200)]
    public void A_restored_detector_snapshots_to_the_same_bytes(int samples)
    {
        var snapshot = SnapshotAfter(samples);
        Assert.Equal(snapshot, QrsDetector.Restore(snapshot).Snapshot());
        Assert.Equal(samples, QrsDetector.Restore(snapshot).SampleCount);
    }

    [Fact]
    public void The_horizon_survives_a_restore()
    {
        var detector = new QrsDetector(Fs);
        detector.Process(Segment203.Value.AsSpan(0, 30_000));
        Assert.Equal(detector.DetectionsCompleteBefore, QrsDetector.Restore(detector.Snapshot()).DetectionsCompleteBefore);
    }

    [Fact]
    public void Every_setting_travels_with_the_snapshot()
    {
        var properties = typeof(QrsDetectorSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        Assert.True(properties.Length >= 20, $"only {properties.Length} settings found");
        foreach (var property in properties)
        {
            var settings = QrsDetectorSettings.Default with { };
            var value = property.GetValue(settings);
            property.SetValue(settings, value switch
            {
                double d => (object)(d * 1.1),
                int i => i + 1,
                _ => throw new InvalidOperationException($"setting {property.Name} has a type the snapshot does not write: {property.PropertyType}"),
            });

            var restored = QrsDetector.Restore(SnapshotAfter(5000, settings));

            Assert.True(settings == restored.Settings, $"setting {property.Name} was lost: {property.GetValue(restored.Settings)} instead of {property.GetValue(settings)}");
        }
    }

    [Property(MaxTest = 100)]
    public Property Any_damaged_byte_is_refused(NonNegativeInt position, byte flip)
    {
        var snapshot = Snapshot43200.Value;
        var damaged = (byte[])snapshot.Clone();
        damaged[position.Get % damaged.Length] ^= flip == 0 ? (byte)1 : flip;
        return Refused(damaged).ToProperty();
    }

    private static readonly Lazy<byte[]> Snapshot43200 = new(() => SnapshotAfter(43_200));

    private static bool Refused(byte[] snapshot)
    {
        try
        {
            QrsDetector.Restore(snapshot);
            return false;
        }
        catch (InvalidDataException)
        {
            return true;
        }
    }

    [Fact]
    public void Truncated_extended_empty_and_foreign_snapshots_are_refused()
    {
        var snapshot = Snapshot43200.Value;
        for (var length = 0; length < snapshot.Length; length += 97) Assert.True(Refused(snapshot[..length]), $"a snapshot cut to {length} bytes was accepted");
        Assert.True(Refused([.. snapshot, 0]));
        Assert.Contains("not a QRS detector snapshot", Assert.Throws<InvalidDataException>(() => QrsDetector.Restore([])).Message);
        var segmenter = new BeatSegmenter("r", Fs, BeatRepresentation.Window).Snapshot();
        Assert.Contains("not a QRS detector snapshot", Assert.Throws<InvalidDataException>(() => QrsDetector.Restore(segmenter)).Message);
    }

    [Fact]
    public void A_snapshot_of_another_version_is_refused_by_name()
    {
        var snapshot = (byte[])Snapshot43200.Value.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(snapshot.AsSpan(4), 2);
        Assert.Contains("version 2", Assert.Throws<InvalidDataException>(() => QrsDetector.Restore(snapshot)).Message);
    }
}
