using EcgOrleans.Signal.Beats;
using EcgOrleans.Signal.Wfdb;

namespace EcgOrleans.Signal.Synthetic;

/// <summary>A beat the rhythm has placed: its R time, class and events.</summary>
internal sealed record ScheduledBeat(long Index, double Time, AamiClass Class, BeatShape Shape)
{
    /// <summary>The MIT-BIH annotation code of the beat.</summary>
    public AnnotationCode Code => Class switch
    {
        AamiClass.N => AnnotationCode.Normal,
        AamiClass.S => AnnotationCode.Apc,
        AamiClass.V => AnnotationCode.Pvc,
        AamiClass.F => AnnotationCode.Fusion,
        _ => AnnotationCode.Paced,
    };
}

/// <summary>
/// Places beats one after another. The sinus node follows ECGSYN's RR process: a mean RR modulated by a
/// Mayer-wave component at 0.1 Hz and a respiratory (RSA) component, with ECGSYN's LF/HF power ratio and
/// spectral width (0.01 Hz). ECGSYN draws the whole tachogram at once by an inverse FFT; here each
/// component is a rotating Ornstein-Uhlenbeck phasor, which has the same Lorentzian-shaped peak and can
/// be advanced beat by beat, so a live monitor never needs to know how long it will run.
/// Ectopic beats change the timing as they do in the clinic:
/// S comes at 55-75 % of the RR and resets the sinus node (no full compensatory pause), alone or as the
/// first of a run at that cycle;
/// V comes at 55-72 % and leaves the sinus node alone, so the next sinus beat is the one after the
/// blocked one (pre-RR + post-RR = 2 RR); F comes about on time; paced beats come on time.
/// </summary>
internal sealed class Rhythm
{
    private const double SpectralWidth = 0.01; // Hz, ECGSYN's flostd and fhistd
    private const double MayerFrequency = 0.1;  // Hz, ECGSYN's flo
    private const double AtrialRunContinues = 0.35;
    private const int MaxAtrialRun = 6;

    private readonly PatientProfile _patient;
    private readonly SeededRandom _random;
    private readonly SeededRandom _shapes;
    private readonly double[] _weights;
    private readonly double _meanRr;
    private readonly double _lfStd, _hfStd;
    private (double Re, double Im) _lf, _hf;
    private double _phasorTime;
    private long _count;
    private double _lastR;
    private double _expected;
    private AamiClass _previous = AamiClass.N;
    private double _atrialCycle;
    private int _runLength;

    public Rhythm(SyntheticOptions options, PatientProfile patient, SeededRandom random, SeededRandom shapes, double firstBeat)
    {
        _patient = patient;
        _random = random;
        _shapes = shapes;
        _weights = options.ClassWeights;
        _meanRr = 60 / options.HeartRate;
        var rrStd = options.HeartRateStd * 60 / (options.HeartRate * options.HeartRate);
        _lfStd = rrStd * Math.Sqrt(options.LfHfRatio / (1 + options.LfHfRatio));
        _hfStd = rrStd * Math.Sqrt(1 / (1 + options.LfHfRatio));
        _lf = (_lfStd * random.Gaussian(), _lfStd * random.Gaussian());
        _hf = (_hfStd * random.Gaussian(), _hfStd * random.Gaussian());
        _phasorTime = firstBeat;
        _expected = firstBeat;
        _lastR = firstBeat - _meanRr;
    }

    public double MeanRr => _meanRr;

    /// <summary>
    /// The class of the next beat. The record starts in sinus rhythm; a ventricular premature beat is followed
    /// by a sinus one; an atrial one starts a run (an atrial couplet or a short burst of atrial tachycardia)
    /// often enough that about half of the S beats are in runs, as in MIT-BIH's training records.
    /// </summary>
    private AamiClass NextClass(long index)
    {
        if (index < 3) return AamiClass.N;
        if (_previous == AamiClass.S) return _runLength < MaxAtrialRun && _random.Chance(AtrialRunContinues) ? AamiClass.S : AamiClass.N;
        if (_previous == AamiClass.V) return AamiClass.N;
        return (AamiClass)_random.Choose(_weights);
    }

    public ScheduledBeat Next()
    {
        var index = _count++;
        var beatClass = NextClass(index);
        var sinusInterval = _expected - _lastR;
        double time;
        switch (beatClass)
        {
            case AamiClass.S:
                // The first beat of a run comes early; the next ones follow at the ectopic focus's own, steady cycle.
                _atrialCycle = _previous == AamiClass.S
                    ? _atrialCycle * _random.Uniform(0.97, 1.03)
                    : _random.Uniform(0.55, 0.75) * sinusInterval;
                time = _lastR + _atrialCycle;
                _expected = time + SinusRr(time) * _random.Uniform(1.0, 1.08);
                _runLength = _previous == AamiClass.S ? _runLength + 1 : 1;
                break;
            case AamiClass.V:
                time = _lastR + _random.Uniform(0.55, 0.72) * sinusInterval;
                _expected += SinusRr(_expected);
                break;
            case AamiClass.F:
                time = _expected - _random.Uniform(0, 0.05) * sinusInterval;
                _expected += SinusRr(_expected);
                break;
            default:
                time = _expected;
                _expected = time + SinusRr(time);
                break;
        }
        var previousRr = time - _lastR;
        var respiration = 1 + 0.05 * Math.Sin(2 * Math.PI * _patient.RespiratoryFrequency * time + _patient.RespiratoryPhase);
        var shape = Morphology.For(beatClass, _patient, previousRr, respiration, _shapes);
        _lastR = time;
        _previous = beatClass;
        return new ScheduledBeat(index, time, beatClass, shape);
    }

    /// <summary>The sinus RR interval that starts at <paramref name="time"/> (times must not go backwards).</summary>
    private double SinusRr(double time)
    {
        var dt = Math.Max(0, time - _phasorTime);
        _phasorTime = Math.Max(_phasorTime, time);
        _lf = Advance(_lf, dt, MayerFrequency, _lfStd);
        _hf = Advance(_hf, dt, _patient.RespiratoryFrequency, _hfStd);
        var rr = _meanRr + _lf.Re + _hf.Re;
        return Math.Clamp(rr, 0.7 * _meanRr, 1.4 * _meanRr);
    }

    /// <summary>Exact step of a rotating Ornstein-Uhlenbeck phasor: stationary, variance std² per component.</summary>
    private (double Re, double Im) Advance((double Re, double Im) z, double dt, double frequency, double std)
    {
        var decay = Math.Exp(-2 * Math.PI * SpectralWidth * dt);
        var angle = 2 * Math.PI * frequency * dt;
        var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
        var kick = std * Math.Sqrt(1 - decay * decay);
        return (decay * (z.Re * cos - z.Im * sin) + kick * _random.Gaussian(),
                decay * (z.Re * sin + z.Im * cos) + kick * _random.Gaussian());
    }
}
