namespace EcgOrleans.Signal.Qrs;

/// <summary>
/// The constants of <see cref="QrsDetector"/>. Times are in seconds, so the detector works at any sampling
/// frequency (MIT-BIH resampled to 128, 250, 500 and 1000 Hz scores as at 360 Hz). The defaults were chosen on
/// the 48 MIT-BIH records (lead MLII) and are not sharp optima: each of these single changes keeps the gross
/// Se and +P above 99.6 %: threshold fraction 0.05 to 0.15, T-wave slope ratio 0.4 to 0.6, search-back factor
/// 1.5 to 1.8, peak half-width 0.15 to 0.25 s, integration window 0.12 to 0.18 s, band edges 3 to 8 Hz and 12 to 20 Hz.
/// </summary>
internal sealed record QrsDetectorSettings
{
    public static QrsDetectorSettings Default { get; } = new();

    // Feature signal: the band where QRS energy dominates P and T waves (Pan and Tompkins: about 5 to 15 Hz),
    // then a derivative over 10 ms, squaring and a 150 ms moving-window integration.
    public double HighPassHz { get; init; } = 5;
    public double LowPassHz { get; init; } = 15;
    public double DerivativeSpan { get; init; } = 0.01;
    public double IntegrationWindow { get; init; } = 0.15;

    /// <summary>A candidate is a maximum of the integrated signal over ± this time: also the decision latency.</summary>
    public double PeakHalfWidth { get; init; } = 0.2;

    /// <summary>
    /// The integrated signal at or below this (in mV², a squared 10 ms difference of the band-passed lead) is silence:
    /// no candidate peaks there and learning does not start on it. A flat lead (a lead-off, missing samples held at
    /// the last value) leaves numerical residue of the filters around 1e-36, whose peaks the decaying thresholds
    /// would otherwise take for beats; the smallest candidate peak on the 48 MIT-BIH records is 9e-7. It changes no
    /// detection there.
    /// </summary>
    public double SilentEnergy { get; init; } = 1e-12;

    /// <summary>Signal and noise levels are first estimated over this much non-flat signal.</summary>
    public double LearningTime { get; init; } = 2;

    public double Refractory { get; init; } = 0.2;

    /// <summary>
    /// Threshold between the running noise and QRS levels of the integrated (squared) signal. Pan and Tompkins
    /// used 0.25; with these features that misses wide, low-slope ventricular beats (an early version missed 630
    /// of the 2437 beats of MIT-BIH 208), while 0.07 (about 0.26 in amplitude) keeps them and the slope test
    /// still rejects T waves.
    /// </summary>
    public double ThresholdFraction { get; init; } = 0.07;

    /// <summary>A candidate this soon after a QRS whose maximal slope is below this ratio of the QRS's is a T wave.</summary>
    public double TWaveWindow { get; init; } = 0.36;
    public double TWaveSlopeRatio { get; init; } = 0.5;

    /// <summary>Search back for a missed beat once this multiple of the median RR interval has passed without a QRS.</summary>
    public double SearchBackFactor { get; init; } = 1.66;

    /// <summary>
    /// A search-back takes only noise peaks this recent (before the last examined candidate position) as a missed
    /// beat. It bounds how late a detection can come, and so how long a beat segmenter must wait for marks, even
    /// through a long lead-off. It changes no detection on the 48 MIT-BIH records (nor would a reach of 3 s).
    /// </summary>
    public double SearchBackReach { get; init; } = 10;

    /// <summary>The noise level and the expected RR interval are medians of this many recent values.</summary>
    public int History { get; init; } = 8;

    /// <summary>One peak can lift the QRS level by at most this factor of it, so that an artifact cannot blind the detector.</summary>
    public double LevelRiseLimit { get; init; } = 4;

    /// <summary>
    /// After this long without a QRS (and at least three median RR intervals), every search-back that finds nothing
    /// halves the QRS level: the detector recovers from a lasting drop in amplitude (a lead or gain change). Before
    /// the first beat, it is also how long the detector waits before its first search-back.
    /// </summary>
    public double SilenceBeforeDecay { get; init; } = 3;

    // R-peak placement, on the lead with its baseline removed (0.5 Hz high-pass) and lightly smoothed (8 ms).
    public double BaselineHighPassHz { get; init; } = 0.5;
    public double SmoothingWindow { get; init; } = 0.008;

    /// <summary>The steepest point of the feature signal lags the R peak by about this much (its filters' delay).</summary>
    public double SlopeLag { get; init; } = 0.05;

    /// <summary>The R peak is searched from this long before to <see cref="RSearchAfter"/> after the lag-corrected steepest point.</summary>
    public double RSearchBefore { get; init; } = 0.15;
    public double RSearchAfter { get; init; } = 0.05;

    /// <summary>Half-width of the moving mean subtracted to tell sharp deflections from broad waves.</summary>
    public double SharpnessHalfWidth { get; init; } = 0.05;

    /// <summary>A negative deflection is taken only when it beats the positive one by 1 / this ratio (the R wave is positive).</summary>
    public double NegativeWeight { get; init; } = 0.7;

    /// <summary>The chosen deflection's extremum is looked for within ± this time.</summary>
    public double ExtremumRefine { get; init; } = 0.01;
}
