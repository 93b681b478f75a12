using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Synthetic;

/// <summary>A piece of a live monitor's lead: samples in mV from <see cref="FirstSample"/> on, and the beats whose R peaks fall in it.</summary>
public sealed record MonitorChunk(long FirstSample, float[] Samples, IReadOnlyList<Annotation> Annotations);

/// <summary>
/// A live bedside monitor: lead MLII of a synthetic record, handed out in pieces of any size. The
/// output depends on the options alone, never on how it is cut: reading 1 + 999 samples gives what
/// reading 1000 does, and it equals <see cref="SyntheticEcg.Generate"/>'s first signal for the same
/// options. It runs as long as it is asked, holding only a short look-ahead (the 80 ms the R-peak
/// search needs), so annotations arrive with the span their peaks fall in.
/// </summary>
public sealed class SyntheticMonitor
{
    private readonly EcgsynEngine _engine;
    private readonly Queue<int> _ahead = new();
    private readonly Queue<Annotation> _annotations = new();
    private readonly int[] _frame = new int[EcgsynEngine.Leads];

    public SyntheticMonitor(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _engine = new EcgsynEngine(options);
        _engine.SkipWarmUp();
        Lead = SyntheticEcg.LeadSpec("monitor", SyntheticEcg.FirstLead);
    }

    public SyntheticOptions Options { get; }

    public double SamplingFrequency => Options.SamplingFrequency;

    /// <summary>How the lead is digitised: 200 adu/mV around 1024, as MIT-BIH's MLII.</summary>
    public SignalSpec Lead { get; }

    /// <summary>Samples handed out so far: the first sample of the next chunk.</summary>
    public long Position { get; private set; }

    /// <summary>The next <paramref name="samples"/> samples and the annotations whose R peaks lie among them.</summary>
    public MonitorChunk Next(int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        var end = Position + samples;
        while (_engine.NextSample < end + _engine.AnnotationLag)
        {
            _engine.Produce(_frame);
            _ahead.Enqueue(_frame[0]);
            while (_engine.TryTakeAnnotation(out var annotation)) _annotations.Enqueue(annotation);
        }
        var values = new float[samples];
        for (var i = 0; i < samples; i++) values[i] = Lead.ToPhysical(_ahead.Dequeue());
        var beats = new List<Annotation>();
        while (_annotations.TryPeek(out var next) && next.Sample < end) beats.Add(_annotations.Dequeue());
        var chunk = new MonitorChunk(Position, values, beats);
        Position = end;
        return chunk;
    }
}
