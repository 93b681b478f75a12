// One class map of one run: the average beat with a ±1 standard-error band, the spread of the beats (SD) on the
// same axis, the mean saliency as a curve on the shared saliency scale and as a colour band behind the beat,
// and the rhythm features' saliency as named bars.

import { times } from './axis.js';
import { heat } from './colours.js';
import { count, element, keyId, mapTitle } from './format.js';
import { rhythm, waveform } from './maps.js';
import { createPlot, timeAxis, valueAxis } from './plot.js';
import { rhythmBars } from './rhythm.js';

export class MapPanel {
  /** run: the run's view from the snapshot (name, axis, features); key: "reference/V" and the like. */
  constructor(parent, run, key, showRun) {
    this.key = key;
    this.run = run.name;
    this.saliency = [];
    this.saliencyScale = 1;
    const id = `${run.name}-${keyId(key)}`;
    this.countElement = element('span', 'count', '0');
    this.countElement.dataset.testid = `count-${id}`;
    this.details = element('span', 'details');
    const title = element('span', 'title', mapTitle(key));
    if (showRun) title.append(element('span', 'run-name', run.name));
    this.plotElement = element('div', 'plot');
    this.empty = element('div', 'empty', 'no beats yet');
    this.rhythm = element('div');
    this.element = element('article', 'map-panel', null,
      element('header', null, null, title, element('span', 'meta', null, this.countElement, ' beats', this.details)),
      this.plotElement, this.empty, this.rhythm);
    this.element.dataset.testid = `panel-${id}`;
    parent.append(this.element);
    this.chart = createPlot(this.plotElement, this.options(run.axis), 6, u => this.drawn(u));
  }

  options(axis) {
    return {
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, saliency: { range: () => [0, this.saliencyScale] } },
      axes: [
        timeAxis(axis),
        valueAxis('average beat (standardised)'),
        valueAxis('saliency', { scale: 'saliency', side: 1, grid: { show: false }, stroke: '#c81e1e' }),
      ],
      series: [
        {},
        { label: 'average beat', stroke: '#1f2933', width: 1.6 },
        { label: '+1 SE', stroke: 'rgba(82, 96, 109, 0.5)', width: 0.6 },
        { label: '−1 SE', stroke: 'rgba(82, 96, 109, 0.5)', width: 0.6 },
        { label: 'SD across beats', stroke: '#7b8794', width: 1, dash: [3, 3] },
        { label: 'saliency', stroke: '#c81e1e', width: 1.2, fill: 'rgba(200, 30, 30, 0.10)', scale: 'saliency' },
      ],
      bands: [{ series: [2, 3], fill: 'rgba(82, 96, 109, 0.28)' }],
      hooks: { drawClear: [u => this.drawHeat(u)] },
    };
  }

  /** Behind the curves: each sample's column tinted by its saliency, and a solid strip along the bottom. */
  drawHeat(u) {
    const values = this.saliency;
    const xs = u.data[0];
    if (!values.length || xs.length < 2) return;
    const half = (xs[1] - xs[0]) / 2;
    const { left, top, width, height } = u.bbox;
    const strip = Math.round(8 * devicePixelRatio);
    const ctx = u.ctx;
    ctx.save();
    for (let i = 0; i < values.length; i++) {
      const x0 = Math.max(left, Math.floor(u.valToPos(xs[i] - half, 'x', true)));
      const x1 = Math.min(left + width, Math.ceil(u.valToPos(xs[i] + half, 'x', true)));
      if (x1 <= x0) continue;
      const v = values[i] / this.saliencyScale;
      ctx.fillStyle = heat(v, 0.28 * v);
      ctx.fillRect(x0, top, x1 - x0, height - strip);
      ctx.fillStyle = heat(v);
      ctx.fillRect(x0, top + height - strip, x1 - x0, strip);
    }
    ctx.restore();
  }

  /** Records what the plot drew, for readers that cannot see the canvas. */
  drawn(u) {
    const data = this.element.dataset;
    data.saliencyMax = String(u.scales.saliency.max);
    data.xMin = String(u.scales.x.min);
    data.xMax = String(u.scales.x.max);
  }

  /** map: a ClassMapView (or undefined); run: its run's view; scales: { saliency, rhythm } shared by every panel. */
  update(map, run, scales) {
    this.saliencyScale = scales.saliency;
    const n = map?.count ? map.waveformLength : 0;
    const mean = n ? waveform(map, map.beatMean) : [];
    const sd = n ? waveform(map, map.beatSd) : [];
    const se = sd.map(s => s / Math.sqrt(map.count));
    this.saliency = n ? waveform(map, map.saliencyMean) : [];
    this.element.dataset.xUnit = run.axis.unit;
    this.chart.plot.setData([times(run.axis, n), mean, mean.map((m, i) => m + se[i]), mean.map((m, i) => m - se[i]), sd, this.saliency]);

    const text = count(map?.count ?? 0);
    const changed = this.countElement.textContent !== text;
    this.countElement.textContent = text;
    this.details.textContent = map?.count ? ` · ${map.merges} ${map.merges === 1 ? 'merge' : 'merges'} · ${new Date(map.updated).toLocaleTimeString()}` : '';
    this.empty.hidden = n > 0;
    this.rhythm.replaceChildren(...(n ? [rhythmBars(run.features, rhythm(map, map.saliencyMean), scales.rhythm)] : []));
    if (changed) {
      this.element.classList.add('flash');
      setTimeout(() => this.element.classList.remove('flash'), 600);
    }
  }

  destroy() {
    this.chart.dispose();
    this.element.remove();
  }
}
