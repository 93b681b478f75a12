using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EcgOrleans.Signal.Qrs;

public sealed partial class QrsDetector
{
    private const int SnapshotMagic = 0x45514431; // "EQD1"
    private const int SnapshotVersion = 1;
    private const int ChecksumLength = SHA256.HashSizeInBytes;

    /// <summary>
    /// The whole state as bytes (settings, filters, buffers, levels, RR history, held candidates), versioned and
    /// checksummed: a record grain persists it at its commit points and resumes from it, and the restored detector
    /// gives exactly the detections an uninterrupted one would have given.
    /// </summary>
    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(SnapshotMagic);
            w.Write(SnapshotVersion);
            w.Write(SamplingFrequency);
            SaveSettings(w, _settings);
            w.Write(_next);
            w.Write(_end);
            w.Write(_held);
            w.Write(_seenSignal);
            w.Write(_completed);
            w.Write(_lastEmitted);
            w.Write(_integralSum);
            foreach (var filter in new[] { _highPass1, _highPass2, _lowPass1, _lowPass2, _baseline }) filter.Save(w);
            foreach (var (ring, latest) in Rings) ring.Save(w, _next, latest);
            _peaks.Save(w);
            _rules.Save(w);
        }
        // The checksum refuses a damaged snapshot outright instead of resuming with subtly wrong levels.
        var payloadLength = (int)stream.Length;
        stream.Write(SHA256.HashData(stream.GetBuffer().AsSpan(0, payloadLength)));
        return stream.ToArray();
    }

    /// <summary>
    /// A detector in the state <paramref name="snapshot"/> recorded. A snapshot that is damaged, truncated, of
    /// another version or not a detector's is refused with an <see cref="InvalidDataException"/>.
    /// </summary>
    public static QrsDetector Restore(byte[] snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Length < 2 * sizeof(int) + ChecksumLength || BinaryPrimitives.ReadInt32LittleEndian(snapshot) != SnapshotMagic)
            throw new InvalidDataException("not a QRS detector snapshot");
        var version = BinaryPrimitives.ReadInt32LittleEndian(snapshot.AsSpan(sizeof(int)));
        if (version != SnapshotVersion)
            throw new InvalidDataException($"QRS detector snapshot version {version} is not supported (this build reads version {SnapshotVersion})");
        var payload = snapshot.AsSpan(0, snapshot.Length - ChecksumLength);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(snapshot.AsSpan(payload.Length)))
            throw new InvalidDataException("corrupt QRS detector snapshot: the checksum does not match");
        try
        {
            using var r = new BinaryReader(new MemoryStream(snapshot, 0, payload.Length), Encoding.UTF8);
            r.ReadInt32();
            r.ReadInt32();
            var fs = r.ReadDouble();
            var detector = new QrsDetector(fs, LoadSettings(r));
            detector._next = r.ReadInt64();
            detector._end = r.ReadInt64();
            detector._held = r.ReadDouble();
            detector._seenSignal = r.ReadBoolean();
            detector._completed = r.ReadBoolean();
            detector._lastEmitted = r.ReadInt64();
            detector._integralSum = r.ReadDouble();
            detector._highPass1.Load(r);
            detector._highPass2.Load(r);
            detector._lowPass1.Load(r);
            detector._lowPass2.Load(r);
            detector._baseline.Load(r);
            foreach (var (ring, latest) in detector.Rings) ring.Load(r, detector._next, latest);
            detector._peaks.Load(r);
            detector._rules.Load(r);
            if (r.BaseStream.Position != payload.Length) throw new InvalidDataException("corrupt QRS detector snapshot: bytes left over after the state");
            // Complete() fixes the end, then runs padding samples past it.
            if (detector._next < 0 || (detector._completed ? detector._end > detector._next : detector._end != long.MaxValue))
                throw new InvalidDataException($"corrupt QRS detector snapshot: sample position {detector._next} with record end {detector._end}");
            return detector;
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException("corrupt QRS detector snapshot", e);
        }
    }

    /// <summary>
    /// Each ring with how many of its latest samples a later step can still read: the next step n = _next reads
    /// the baseline-removed lead over the smoothing window, the band-passed lead a derivative span back, the squares
    /// an integration window back, and describes the candidate n − half-width: its integrated value, the slopes an
    /// integration window before it, and the smoothed lead from its R search window (see Describe and LocateR).
    /// Only these are written, a third of the rings' size; the rest come back as NaN, so that a read of one would
    /// show (a test restores after every single sample).
    /// </summary>
    private (SampleRing Ring, int Latest)[] Rings =>
    [
        (_baselineRemoved, _smoothing - 1),
        (_bandPassed, _derivativeSpan),
        (_squared, _integrationWindow),
        (_integrated, _peakHalfWidth),
        (_slope, _peakHalfWidth + _integrationWindow),
        // The R search starts at most integration window + slope lag + search span before the peak; the sharpness
        // window and the refinement reach back from there.
        (_smoothedLead, _peakHalfWidth + _integrationWindow + _slopeLag + _rSearchBefore + Math.Max(_sharpnessHalfWidth, _extremumRefine)),
    ];

    /// <summary>
    /// The settings travel with the state: a detector resumed after the defaults changed keeps deciding as it began.
    /// Every property is written (a test changes each one in turn and checks that it survives).
    /// </summary>
    private static void SaveSettings(BinaryWriter w, QrsDetectorSettings s)
    {
        foreach (var value in (double[])[
            s.HighPassHz, s.LowPassHz, s.DerivativeSpan, s.IntegrationWindow, s.PeakHalfWidth, s.LearningTime, s.Refractory,
            s.ThresholdFraction, s.TWaveWindow, s.TWaveSlopeRatio, s.SearchBackFactor, s.LevelRiseLimit, s.SilenceBeforeDecay,
            s.SearchBackReach, s.BaselineHighPassHz, s.SmoothingWindow, s.SlopeLag, s.RSearchBefore, s.RSearchAfter,
            s.SharpnessHalfWidth, s.NegativeWeight, s.ExtremumRefine, s.SilentEnergy])
        {
            w.Write(value);
        }
        w.Write(s.History);
    }

    private static QrsDetectorSettings LoadSettings(BinaryReader r)
    {
        var v = new double[23];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = r.ReadDouble();
            // Durations and ratios are small and non-negative; a wild one would size buffers wildly.
            if (!(v[i] >= 0 && v[i] <= 60)) throw new InvalidDataException($"corrupt QRS detector snapshot: setting {i} is {v[i]}");
        }
        var history = r.ReadInt32();
        if (history is < 1 or > 1024) throw new InvalidDataException($"corrupt QRS detector snapshot: a history of {history} values");
        return new QrsDetectorSettings
        {
            HighPassHz = v[0], LowPassHz = v[1], DerivativeSpan = v[2], IntegrationWindow = v[3], PeakHalfWidth = v[4],
            LearningTime = v[5], Refractory = v[6], ThresholdFraction = v[7], TWaveWindow = v[8], TWaveSlopeRatio = v[9],
            SearchBackFactor = v[10], LevelRiseLimit = v[11], SilenceBeforeDecay = v[12], SearchBackReach = v[13],
            BaselineHighPassHz = v[14], SmoothingWindow = v[15], SlopeLag = v[16], RSearchBefore = v[17], RSearchAfter = v[18],
            SharpnessHalfWidth = v[19], NegativeWeight = v[20], ExtremumRefine = v[21], SilentEnergy = v[22],
            History = history,
        };
    }
}
