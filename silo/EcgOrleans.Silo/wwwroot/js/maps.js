// Figures read off class maps (ClassMapView: waveform values first, then the rhythm features'), shared by the panels:
// one saliency scale for every panel on show, and the difference A − B of one class.

export const waveform = (map, values) => values.slice(0, map.waveformLength);
export const rhythm = (map, values) => values.slice(map.waveformLength);

const peak = values => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** The largest mean waveform saliency over all maps on show (both runs): the top of every saliency axis. */
export function saliencyScale(maps) {
  const top = maps.reduce((m, map) => Math.max(m, peak(waveform(map, map.saliencyMean))), 0);
  return top > 0 ? top : 1;
}

/** The largest mean rhythm-feature saliency over all maps on show: the full length of every rhythm bar. */
export function rhythmScale(maps) {
  const top = maps.reduce((m, map) => Math.max(m, peak(rhythm(map, map.saliencyMean))), 0);
  return top > 0 ? top : 1;
}

/**
 * Saliency of A minus B for one class: per sample where both beats have the same length (same representation),
 * per rhythm feature where both take the same features; a note says what could not be compared.
 */
export function difference(a, b) {
  if (!a?.count || !b?.count) {
    return { waveform: null, rhythm: null, note: a?.count ? 'only in A' : b?.count ? 'only in B' : 'no beats in either run' };
  }
  const subtract = (x, y) => x.map((v, i) => v - y[i]);
  const ra = rhythm(a, a.saliencyMean);
  const rb = rhythm(b, b.saliencyMean);
  const rhythmDifference = ra.length && ra.length === rb.length ? subtract(ra, rb) : null;
  if (a.waveformLength !== b.waveformLength) {
    return { waveform: null, rhythm: rhythmDifference, note: `beats of ${a.waveformLength} and ${b.waveformLength} samples: no per-sample difference` };
  }
  return { waveform: subtract(waveform(a, a.saliencyMean), waveform(b, b.saliencyMean)), rhythm: rhythmDifference, note: null };
}

/** The largest |A − B| over the differences on show: one height for every difference panel; null when none has one. */
export function differenceScale(differences) {
  const top = differences.reduce((m, d) => Math.max(m, d.waveform ? peak(d.waveform) : 0), 0);
  return top > 0 ? top : null;
}
