using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Synthetic;

/// <summary>
/// The dynamical model of McSharry, Clifford, Tarassenko and Smith (IEEE TBME 50(3):289-294, 2003),
/// ECGSYN, integrated with the classical fourth-order Runge-Kutta method at <c>Oversampling</c> steps
/// per output sample:
/// <code>
///   dx/dt = αx - ωy          dy/dt = αy + ωx          α = 1 - √(x² + y²)
///   dz/dt = -Σᵢ aᵢ Δθᵢ exp(-Δθᵢ² / 2bᵢ²) - (z - z₀(t))
/// </code>
/// (x, y) runs round the unit limit cycle once per RR interval (ω = 2π/RR of the interval it is in) and
/// each beat's R sits at θ = 0. The Gaussian events of the z equation are given in seconds
/// (<see cref="WaveEvent"/>): the phase θ is mapped back to the time since each beat's R, Δθᵢ/bᵢ
/// becomes (t̂ - tⱼ - τᵢ)/σᵢ, and aᵢ is chosen so that the event's peak is its amplitude in mV (the form
/// Sameni et al. 2007 use: aᵢ = αᵢ ω / bᵢ²). Every beat carries its own events, so the morphology can
/// change from one cycle to the next, and the events of neighbouring beats add up where they overlap.
/// z₀ is the baseline wander (ECGSYN: respiration, 0.15 mV); the -(z - z₀) term also pulls the signal
/// back to it with a 1 s time constant, the high-pass character ECGSYN's output has. The z equation is
/// linear, so z splits into the events' part, integrated by RK4, and the z₀ part, solved in closed form.
/// Lead V1 is a second z equation driven by the same (x, y): the same beats seen from another lead.
/// </summary>
internal sealed class EcgsynEngine
{
    public const int Leads = 2;
    public const double WarmUpSeconds = 5;
    public const double PeakSearchSeconds = 0.04;
    public const double Gain = 200;
    public const int AdcZero = 1024;
    public const int AdcMax = 2047;
    private const double TwoPi = 2 * Math.PI;
    private const double EventReach = 6; // widths beyond which an event is taken as zero (e^-18)

    private readonly Rhythm _rhythm;
    private readonly List<Beat> _beats = [];
    private long _firstBeatIndex;
    private readonly Queue<ScheduledBeat> _awaitingPeak = new();
    private readonly Queue<Annotation> _ready = new();
    private readonly double _samplingFrequency;
    private readonly int _oversampling;
    private readonly double _step;
    private readonly double _noise;
    private readonly SeededRandom[] _noiseRandom;
    private readonly Wander[] _wander;
    private readonly int _peakRadius;
    private readonly double[] _history; // clean MLII by sample index, for the R-peak search
    private readonly long _firstSample;

    private const int WindowBefore = 3, WindowAfter = 3; // beats whose events can reach into an RR interval
    private readonly Beat?[] _window = new Beat?[WindowBefore + 1 + WindowAfter];
    private double _x, _y;
    private readonly double[] _z = new double[Leads];
    private double _phase; // θ unwrapped: beat k's R is at 2πk
    private long _stepIndex;
    private long _interval; // the RR interval the model is in: from beat k's R to beat k+1's
    private long _nextSample;

    public EcgsynEngine(SyntheticOptions options)
    {
        options.Validate();
        _samplingFrequency = options.SamplingFrequency;
        _oversampling = options.Oversampling;
        _step = 1 / (_samplingFrequency * _oversampling);
        _noise = options.NoiseLevel;
        var patient = PatientProfile.Draw(SeededRandom.For(options.Seed, "patient"), options);
        _noiseRandom = [SeededRandom.For(options.Seed, "noise MLII"), SeededRandom.For(options.Seed, "noise V1")];
        var wander = SeededRandom.For(options.Seed, "wander");
        _wander = [Wander.Draw(wander, options.BaselineWander, patient), Wander.Draw(wander, options.BaselineWander, patient)];
        _peakRadius = (int)Math.Round(PeakSearchSeconds * _samplingFrequency);
        _history = new double[4 * _peakRadius + 8];

        _firstSample = -(long)Math.Ceiling(WarmUpSeconds * _samplingFrequency);
        _nextSample = _firstSample;
        _stepIndex = _firstSample * _oversampling;
        var start = _stepIndex * _step;
        var rhythmRandom = SeededRandom.For(options.Seed, "rhythm");
        var meanRr = 60 / options.HeartRate;
        _rhythm = new Rhythm(options, patient, rhythmRandom, SeededRandom.For(options.Seed, "shapes"),
            firstBeat: start - (2 + rhythmRandom.NextDouble()) * meanRr);

        // Start on the limit cycle at the phase of the start time, z on the events there; the warm-up settles the rest.
        var k = 0L;
        while (BeatAt(k + 1).Time <= start) k++;
        var (tk, tk1) = (BeatAt(k).Time, BeatAt(k + 1).Time);
        _interval = k;
        _phase = TwoPi * (k + (start - tk) / (tk1 - tk));
        _x = Math.Cos(_phase);
        _y = Math.Sin(_phase);
        for (var lead = 0; lead < Leads; lead++) _z[lead] = EventSum(lead, start, k);
    }

    /// <summary>Index of the sample the next <see cref="Produce"/> returns; negative during the warm-up.</summary>
    public long NextSample => _nextSample;

    /// <summary>
    /// Produces one frame of digital samples (MLII, V1 at 200 adu/mV around 1024, 11 bits) and moves the
    /// model to the next sample time.
    /// </summary>
    public void Produce(Span<int> frame)
    {
        var sample = _nextSample;
        var time = _stepIndex * _step;
        for (var lead = 0; lead < Leads; lead++)
        {
            var clean = _z[lead] + _wander[lead].Response(time);
            if (lead == 0) _history[Mod(sample, _history.Length)] = clean;
            var value = clean + (_noise > 0 ? _noise * _noiseRandom[lead].Gaussian() : 0);
            frame[lead] = Math.Clamp((int)Math.Round(value * Gain, MidpointRounding.AwayFromZero) + AdcZero, 0, AdcMax);
        }
        Integrate();
        _nextSample++;
        FinishPeaks(sample);
    }

    /// <summary>Runs through the warm-up, so that the next sample is sample 0.</summary>
    public void SkipWarmUp()
    {
        Span<int> frame = stackalloc int[Leads];
        while (_nextSample < 0) Produce(frame);
    }

    /// <summary>
    /// The next beat annotation whose R peak is known: placed on the sample where the clean MLII (before
    /// noise) reaches its extreme in the direction of the beat's QRS, within 40 ms of the scheduled R.
    /// A beat's annotation is ready once the samples 40 ms past its scheduled R are produced.
    /// </summary>
    public bool TryTakeAnnotation(out Annotation annotation) => _ready.TryDequeue(out annotation);

    /// <summary>Samples that must be produced past a span before every annotation in it is ready.</summary>
    public int AnnotationLag => 2 * _peakRadius + 1;

    private void FinishPeaks(long produced)
    {
        while (_awaitingPeak.TryPeek(out var beat))
        {
            var nominal = (long)Math.Round(beat.Time * _samplingFrequency);
            if (nominal + _peakRadius > produced) return;
            _awaitingPeak.Dequeue();
            var from = Math.Max(nominal - _peakRadius, Math.Max(_firstSample, produced - _history.Length + 1));
            var to = nominal + _peakRadius;
            if (to < from) continue;
            var polarity = beat.Shape.Polarity;
            var best = from;
            for (var s = from + 1; s <= to; s++)
            {
                if (polarity * _history[Mod(s, _history.Length)] > polarity * _history[Mod(best, _history.Length)]) best = s;
            }
            if (best >= 0) _ready.Enqueue(new Annotation(best, beat.Code, 0, 0, 0, null));
        }
    }

    /// <summary>
    /// Integrates over one output-sample interval in <c>Oversampling</c> RK4 steps. A step that crosses a
    /// beat's R time is split there: ω changes at that instant, and a Runge-Kutta step across the jump
    /// would leave a phase error that every later beat inherits.
    /// </summary>
    private void Integrate()
    {
        for (var i = 0; i < _oversampling; i++)
        {
            var from = _stepIndex * _step;
            var to = (_stepIndex + 1) * _step;
            while (BeatAt(_interval + 1).Time <= from) _interval++;
            var boundary = BeatAt(_interval + 1).Time;
            while (boundary < to)
            {
                RungeKutta(from, boundary);
                from = boundary;
                _interval++;
                boundary = BeatAt(_interval + 1).Time;
            }
            RungeKutta(from, to);
            _stepIndex++;
        }
        // Forget beats the phase has left behind (the events of the last few still reach the present).
        if (_interval - 6 > _firstBeatIndex)
        {
            var drop = (int)(_interval - 6 - _firstBeatIndex);
            _beats.RemoveRange(0, drop);
            _firstBeatIndex += drop;
        }
    }

    /// <summary>One classical RK4 step from <paramref name="from"/> to <paramref name="to"/> inside the current RR interval.</summary>
    private void RungeKutta(double from, double to)
    {
        var h = to - from;
        if (h <= 0) return;
        var k = _interval;
        var tk = BeatAt(k).Time;
        var omega = TwoPi / (BeatAt(k + 1).Time - tk);
        for (var j = 0; j < _window.Length; j++) _window[j] = NearBeat(k - WindowBefore + j);
        var (x, y, z0, z1) = (_x, _y, _z[0], _z[1]);

        var (ax, ay, a0, a1) = Derivatives(x, y, z0, z1, k, tk, omega);
        var (bx, by, b0, b1) = Derivatives(x + 0.5 * h * ax, y + 0.5 * h * ay, z0 + 0.5 * h * a0, z1 + 0.5 * h * a1, k, tk, omega);
        var (cx, cy, c0, c1) = Derivatives(x + 0.5 * h * bx, y + 0.5 * h * by, z0 + 0.5 * h * b0, z1 + 0.5 * h * b1, k, tk, omega);
        var (dx, dy, d0, d1) = Derivatives(x + h * cx, y + h * cy, z0 + h * c0, z1 + h * c1, k, tk, omega);
        _x = x + h / 6 * (ax + 2 * bx + 2 * cx + dx);
        _y = y + h / 6 * (ay + 2 * by + 2 * cy + dy);
        _z[0] = z0 + h / 6 * (a0 + 2 * b0 + 2 * c0 + d0);
        _z[1] = z1 + h / 6 * (a1 + 2 * b1 + 2 * c1 + d1);
        _phase = Unwrap(Math.Atan2(_y, _x));
    }

    /// <summary>
    /// The right-hand side of the ODEs in RR interval k: the limit cycle and, per lead, the events'
    /// part of the z equation (the z₀ part is solved in closed form, see <see cref="Wander"/>).
    /// </summary>
    private (double Dx, double Dy, double Dz0, double Dz1) Derivatives(double x, double y, double z0, double z1, long k, double tk, double omega)
    {
        var alpha = 1 - Math.Sqrt(x * x + y * y);
        var theta = Unwrap(Math.Atan2(y, x));
        // The time the phase stands for: dt̂/dt = (dθ/dt)/ω = 1 on the cycle, and θ = 2πk at beat k's R.
        var clock = tk + (theta - TwoPi * k) / omega;
        return (
            alpha * x - omega * y,
            alpha * y + omega * x,
            EventSlope(0, clock) - z0,
            EventSlope(1, clock) - z1);
    }

    /// <summary>Σ over the beats near the current interval of the events' time derivatives at the clock time.</summary>
    private double EventSlope(int lead, double clock)
    {
        var sum = 0.0;
        foreach (var beat in _window)
        {
            if (beat is null) continue;
            var u = clock - beat.Time;
            var (reachFrom, reachTo) = beat.Reach[lead];
            if (u < reachFrom || u > reachTo) continue;
            foreach (var e in beat.Events[lead])
            {
                var d = (u - e.Offset) / e.Width;
                if (d is > EventReach or < -EventReach) continue;
                sum -= e.Amplitude * d / e.Width * Math.Exp(-0.5 * d * d);
            }
        }
        return sum;
    }

    /// <summary>Σ over the beats near interval k of the events' values (the starting z).</summary>
    private double EventSum(int lead, double time, long k)
    {
        var sum = 0.0;
        for (var j = k - WindowBefore; j <= k + WindowAfter; j++)
        {
            if (NearBeat(j) is not { } beat) continue;
            foreach (var e in beat.Events[lead])
            {
                var d = (time - beat.Time - e.Offset) / e.Width;
                sum += e.Amplitude * Math.Exp(-0.5 * d * d);
            }
        }
        return sum;
    }

    private double Unwrap(double theta) => theta + TwoPi * Math.Round((_phase - theta) / TwoPi);

    /// <summary>Beat <paramref name="index"/>, scheduling beats as needed; null before the first beat.</summary>
    private Beat? NearBeat(long index) => index < _firstBeatIndex ? null : BeatAt(index);

    private Beat BeatAt(long index)
    {
        while (index - _firstBeatIndex >= _beats.Count)
        {
            var scheduled = _rhythm.Next();
            _beats.Add(new Beat(scheduled));
            _awaitingPeak.Enqueue(scheduled);
        }
        return _beats[(int)(index - _firstBeatIndex)];
    }

    private static int Mod(long value, int modulus) => (int)(((value % modulus) + modulus) % modulus);

    /// <summary>A scheduled beat with its events per lead and the span (relative to R) they reach.</summary>
    private sealed class Beat
    {
        public Beat(ScheduledBeat scheduled)
        {
            Time = scheduled.Time;
            Events = [scheduled.Shape.Mlii, scheduled.Shape.V1];
            Reach = [.. Events.Select(events => (
                From: events.Min(e => e.Offset - EventReach * e.Width),
                To: events.Max(e => e.Offset + EventReach * e.Width)))];
        }

        public double Time { get; }

        public WaveEvent[][] Events { get; }

        public (double From, double To)[] Reach { get; }
    }

    /// <summary>
    /// Baseline wander of one lead, z₀(t): respiration (at the RSA frequency) and a slower drift. The z
    /// equation is linear, so its z₀ part, dz/dt = -(z - z₀), is solved in closed form: each sinusoid
    /// of z₀ comes out through the first-order low-pass of unit rate, with gain 1/√(1 + ω²) and lag
    /// atan ω. <see cref="Response"/> is that part of z, which the output adds to the integrated events.
    /// </summary>
    private sealed record Wander(double Amplitude, double Frequency, double Phase, double DriftFrequency, double DriftPhase)
    {
        public static Wander Draw(SeededRandom random, double amplitude, PatientProfile patient) => new(
            amplitude,
            patient.RespiratoryFrequency,
            patient.RespiratoryPhase + random.Uniform(-0.5, 0.5),
            random.Uniform(0.02, 0.08),
            random.Uniform(0, TwoPi));

        public double Response(double t) =>
            Amplitude == 0 ? 0 : Amplitude * (0.7 * LowPassed(Frequency, Phase, t) + 0.5 * LowPassed(DriftFrequency, DriftPhase, t));

        private static double LowPassed(double frequency, double phase, double t)
        {
            var w = TwoPi * frequency;
            return Math.Sin(w * t + phase - Math.Atan(w)) / Math.Sqrt(1 + w * w);
        }
    }
}
