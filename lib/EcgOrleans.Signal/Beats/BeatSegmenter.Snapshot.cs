using System.Text;
using EcgOrleans.Signal.Filters;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Beats;

public sealed partial class BeatSegmenter
{
    private const int SnapshotMagic = 0x45534732; // "ESG2"
    private const int MagicWithoutMorphology = 0x45534731; // "ESG1": before the morphology features
    private const int MaxSnapshotSamples = 1 << 24;

    /// <summary>
    /// The whole state as bytes: a record grain persists it at its commit points and resumes from it,
    /// giving exactly the beats an uninterrupted segmenter would have given.
    /// </summary>
    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(SnapshotMagic);
            w.Write(Record);
            w.Write(SamplingFrequency);
            w.Write((int)Representation.Kind);
            w.Write(Representation.Length);
            w.Write(Representation.SamplesBeforeR);
            w.Write(Representation.SamplingFrequency);
            _baseline.Save(w);
            _morphology.Save(w);
            w.Write(_pending.Count);
            foreach (var mark in _pending)
            {
                w.Write(mark.Sample);
                w.Write(mark.Reference is { } r ? (int)r : -1);
                w.Write(mark.Code is { } c ? (int)c : -1);
            }
            w.Write(_recentRr.Count);
            foreach (var rr in _recentRr) w.Write(rr);
            w.Write(_windowRr.Count);
            foreach (var (r, rr) in _windowRr)
            {
                w.Write(r);
                w.Write(rr);
            }
            w.Write(_filteredStart);
            w.Write(_filteredEnd);
            for (var i = 0; i < _filteredEnd - _filteredStart; i++) w.Write(_filtered[i]);
            w.Write(_samplesPushed);
            w.Write(_watermark);
            w.Write(_lastMark ?? -1);
            w.Write(_previousR ?? -1);
            w.Write(_rrSum);
            w.Write(_rrCount);
            w.Write(_completed);
        }
        return stream.ToArray();
    }

    /// <summary>A segmenter in the state <paramref name="snapshot"/> recorded; a corrupt snapshot is an <see cref="InvalidDataException"/>.</summary>
    public static BeatSegmenter Restore(byte[] snapshot)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(snapshot), Encoding.UTF8);
            var magic = r.ReadInt32();
            if (magic != SnapshotMagic)
                throw new InvalidDataException(magic == MagicWithoutMorphology
                    ? "a beat segmenter snapshot of an older version (no morphology features): start the record again"
                    : "not a beat segmenter snapshot");
            var record = r.ReadString();
            var fs = r.ReadDouble();
            var kind = (RepresentationKind)r.ReadInt32();
            if (!Enum.IsDefined(kind)) throw new InvalidDataException($"unknown representation {(int)kind}");
            var representation = new BeatRepresentation(kind, StateFormat.Count(r.ReadInt32(), 1 << 16), r.ReadInt32(), r.ReadDouble());
            var baseline = BaselineRemover.Load(r);
            var segmenter = new BeatSegmenter(record, ValidFrequency(fs), representation, baseline, MorphologyTracker.Load(r, representation.Length, QrsSpan(representation)));

            var pending = StateFormat.Count(r.ReadInt32(), MaxSnapshotSamples);
            for (var i = 0; i < pending; i++)
            {
                var sample = r.ReadInt64();
                var reference = r.ReadInt32();
                var code = r.ReadInt32();
                segmenter._pending.Add(new BeatMark(sample, reference < 0 ? null : (AamiClass)reference, code < 0 ? null : (AnnotationCode)code));
            }
            var recent = StateFormat.Count(r.ReadInt32(), LocalBeats);
            for (var i = 0; i < recent; i++) segmenter._recentRr.Enqueue(r.ReadDouble());
            var window = StateFormat.Count(r.ReadInt32(), MaxSnapshotSamples);
            for (var i = 0; i < window; i++) segmenter._windowRr.Enqueue((r.ReadInt64(), r.ReadDouble()));

            segmenter._filteredStart = r.ReadInt64();
            segmenter._filteredEnd = r.ReadInt64();
            var buffered = StateFormat.Count(checked((int)(segmenter._filteredEnd - segmenter._filteredStart)), MaxSnapshotSamples);
            segmenter._filtered = new float[Math.Max(InitialFilteredSamples, buffered)];
            for (var i = 0; i < buffered; i++) segmenter._filtered[i] = r.ReadSingle();
            segmenter._samplesPushed = r.ReadInt64();
            segmenter._watermark = r.ReadInt64();
            var lastMark = r.ReadInt64();
            segmenter._lastMark = lastMark < 0 ? null : lastMark;
            var previousR = r.ReadInt64();
            segmenter._previousR = previousR < 0 ? null : previousR;
            segmenter._rrSum = r.ReadDouble();
            segmenter._rrCount = r.ReadInt64();
            segmenter._completed = r.ReadBoolean();
            return segmenter;
        }
        catch (Exception e) when (e is EndOfStreamException or OverflowException or ArgumentException)
        {
            throw new InvalidDataException("corrupt beat segmenter snapshot", e);
        }
    }
}
