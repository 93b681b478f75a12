// One class's saliency difference A − B: red above zero where run A leans more on a sample, blue below where
// run B does, on one symmetric scale shared by every difference panel; and the rhythm features' differences.

import { times } from './axis.js';
import { A_MORE, A_MORE_FILL, B_MORE, B_MORE_FILL } from './colours.js';
import { element, keyId, mapTitle } from './format.js';
import { createPlot, timeAxis, valueAxis } from './plot.js';
import { rhythmDifferenceBars } from './rhythm.js';

export class DifferencePanel {
  /** a, b: the two runs' views from the snapshot (A's axis and features label the panel). */
  constructor(parent, a, b, key) {
    this.key = key;
    this.scale = 1;
    this.note = element('div', 'empty');
    this.summary = element('span', 'details');
    this.plotElement = element('div', 'plot');
    this.rhythm = element('div');
    const title = element('span', 'title', `A − B · ${mapTitle(key)}`);
    title.append(element('span', 'run-name', `${a.name} − ${b.name}`));
    this.element = element('article', 'map-panel difference-panel', null,
      element('header', null, null, title, element('span', 'meta', null, this.summary)),
      this.plotElement, this.note, this.rhythm);
    this.element.dataset.testid = `difference-${keyId(key)}`;
    parent.append(this.element);
    this.chart = createPlot(this.plotElement, this.options(a.axis), 3, u => this.drawn(u));
  }

  options(axis) {
    return {
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { range: () => [-this.scale, this.scale] } },
      axes: [timeAxis(axis), valueAxis('Δ mean saliency (A − B)')],
      series: [
        {},
        { label: 'A leans more', stroke: A_MORE, width: 1, fill: A_MORE_FILL, fillTo: 0 },
        { label: 'B leans more', stroke: B_MORE, width: 1, fill: B_MORE_FILL, fillTo: 0 },
      ],
    };
  }

  drawn(u) {
    this.element.dataset.differenceMax = String(u.scales.y.max);
    this.element.dataset.xMin = String(u.scales.x.min);
    this.element.dataset.xMax = String(u.scales.x.max);
  }

  /** difference: from maps.difference(a, b); scales: { difference, rhythm } shared by every difference panel. */
  update(difference, a, scales) {
    this.scale = scales.difference ?? 1;
    const d = difference.waveform ?? [];
    this.element.dataset.xUnit = a.axis.unit;
    this.chart.plot.setData([times(a.axis, d.length), d.map(v => Math.max(v, 0)), d.map(v => Math.min(v, 0))]);
    this.note.textContent = difference.note ?? '';
    this.note.hidden = !difference.note;
    const meanAbsolute = d.length ? d.reduce((s, v) => s + Math.abs(v), 0) / d.length : null;
    this.summary.textContent = meanAbsolute === null ? '' : `mean |Δ| ${meanAbsolute.toFixed(3)}`;
    this.rhythm.replaceChildren(...(difference.rhythm ? [rhythmDifferenceBars(a.features, difference.rhythm, scales.rhythm)] : []));
  }

  destroy() {
    this.chart.dispose();
    this.element.remove();
  }
}

