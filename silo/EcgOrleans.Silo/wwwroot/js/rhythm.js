// The rhythm features' saliency as named bars, one feature per line (names from the server, as the CLI prints them).

import { element, signed } from './format.js';

/** A map's mean saliency per rhythm feature: bars as long as value / scale, the scale shared by every panel on show. */
export function rhythmBars(names, values, scale) {
  const list = element('dl', 'rhythm');
  if (!values.length) return list;
  list.append(element('dt', 'rhythm-title', 'rhythm-feature saliency'), element('dd', 'rhythm-title'));
  values.forEach((v, i) => {
    const bar = element('b');
    bar.style.width = `${Math.max(0, Math.min(100, (v / scale) * 100))}%`;
    const value = element('span', 'value', v.toFixed(3));
    list.append(element('dt', 'feature', names[i] ?? `f${i + 1}`), element('dd', null, null, element('span', 'track', null, bar), value));
  });
  return list;
}

/** A − B per rhythm feature: red to the right where A leans more, blue to the left where B does. */
export function rhythmDifferenceBars(names, values, scale) {
  const list = element('dl', 'rhythm difference');
  if (!values?.length) return list;
  list.append(element('dt', 'rhythm-title', 'rhythm-feature Δ (A − B)'), element('dd', 'rhythm-title'));
  values.forEach((v, i) => {
    const bar = element('b', v >= 0 ? 'a-more' : 'b-more');
    bar.style.width = `${Math.min(50, (Math.abs(v) / scale) * 50)}%`;
    const value = element('span', 'value', signed(v));
    list.append(element('dt', 'feature', names[i] ?? `f${i + 1}`), element('dd', null, null, element('span', 'track centred', null, bar), value));
  });
  return list;
}
