// A beat's time axis, from the run's beat representation as the API gives it (snapshot view.axis):
// sample i lies at (i − samplesBeforeR) × 1000 / samplingFrequency ms from the R peak, as in the CLI's plots.

export function times(axis, samples) {
  const step = 1000 / axis.samplingFrequency;
  return Array.from({ length: samples }, (_, i) => (i - axis.samplesBeforeR) * step);
}

export const axisLabel = axis => (axis.unit === 'ms' ? 'ms from R peak' : 'sample');
