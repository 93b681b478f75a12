// The page's colour scales: saliency (low → high) and differences (B leans more ← 0 → A leans more).

// ColorBrewer OrRd, low to high.
const HEAT = [[255, 247, 236], [253, 212, 158], [252, 141, 89], [215, 48, 31], [127, 0, 0]];

const clamp = v => Math.min(1, Math.max(0, v));

function ramp(stops, v) {
  const x = clamp(v) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const t = x - i;
  return stops[i].map((lo, k) => Math.round(lo + (stops[i + 1][k] - lo) * t));
}

const rgba = (c, alpha) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;

/** Saliency v in [0, 1] of the shared scale. */
export const heat = (v, alpha = 1) => rgba(ramp(HEAT, v), alpha);

// The CLI's diverging pair: red where A leans more, blue where B does.
export const A_MORE = 'rgb(178, 24, 43)';
export const B_MORE = 'rgb(33, 102, 172)';
export const A_MORE_FILL = 'rgba(178, 24, 43, 0.55)';
export const B_MORE_FILL = 'rgba(33, 102, 172, 0.55)';
