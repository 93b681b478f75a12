// The class maps on show: a row per class map with run A, run B and their difference A − B side by side, every
// panel on one saliency scale. Panels are kept across refreshes and only redrawn while the rows stay the same.

import { DifferencePanel } from './differencePanel.js';
import { MapPanel } from './mapPanel.js';
import { difference, differenceScale, rhythmScale, saliencyScale } from './maps.js';

/** The map keys a grouping (and class) shows, in AAMI order; cells only where a run has beats. */
export function shownKeys(snapshot, grouping, cls) {
  if (cls) return [`${grouping}/${cls}`];
  if (grouping !== 'cell') return snapshot.classes.map(c => `${grouping}/${c}`);
  const order = key => {
    const [r, p] = key.slice('cell/'.length).split('-');
    return snapshot.classes.indexOf(r) * snapshot.classes.length + snapshot.classes.indexOf(p);
  };
  const keys = new Set(snapshot.views.flatMap(v => v.maps.filter(m => m.count > 0).map(m => m.key)));
  return [...keys].sort((x, y) => order(x) - order(y));
}

export class MapGrid {
  constructor(container) {
    this.container = container;
    this.layout = '';
    this.rows = [];
  }

  render(snapshot, grouping, cls) {
    const views = snapshot.views;
    const keys = shownKeys(snapshot, grouping, cls);
    const layout = JSON.stringify([views.map(v => [v.name, v.axis]), keys]);
    if (layout !== this.layout) this.build(views, keys, layout);
    if (!views.length || !keys.length) return null;

    const mapOf = (view, key) => view.maps.find(m => m.key === key);
    const shown = views.flatMap(v => keys.map(k => mapOf(v, k)).filter(m => m?.count));
    const differences = views.length === 2 ? keys.map(k => difference(mapOf(views[0], k), mapOf(views[1], k))) : [];
    const scales = { saliency: saliencyScale(shown), rhythm: rhythmScale(shown), difference: differenceScale(differences) };
    this.rows.forEach((row, i) => {
      row.panels.forEach((panel, r) => panel.update(mapOf(views[r], row.key), views[r], scales));
      row.difference?.update(differences[i], views[0], scales);
    });
    return scales;
  }

  build(views, keys, layout) {
    for (const row of this.rows) {
      row.panels.forEach(p => p.destroy());
      row.difference?.destroy();
    }
    this.rows = [];
    this.layout = layout;
    this.container.replaceChildren();
    if (!views.length) {
      this.container.textContent = 'No run yet: create one with PUT /api/runs/{run} (or `ecg ingest`) and stream records into it.';
      return;
    }
    if (!keys.length) {
      this.container.textContent = 'No confusion cell has beats yet.';
      return;
    }
    for (const key of keys) {
      const element = document.createElement('div');
      element.className = 'map-row';
      this.container.append(element);
      const panels = views.map(v => new MapPanel(element, v, key, views.length > 1));
      const diff = views.length === 2 ? new DifferencePanel(element, views[0], views[1], key) : null;
      this.rows.push({ key, panels, difference: diff });
    }
  }
}
