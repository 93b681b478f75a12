// The EcgOrleans page: two runs' class maps side by side with their difference, a confusion matrix and a card per
// run, every number from one snapshot of the silo per refresh. This module only wires the others together.

import { Controls } from './controls.js';
import { MapGrid } from './mapGrid.js';
import { renderMatrices } from './matrix.js';
import { renderRunCards } from './runCards.js';
import { readSelection, toQuery, writeSelection } from './selection.js';
import { SnapshotSource } from './snapshotSource.js';

const $ = id => document.getElementById(id);

let selection = readSelection();
let snapshot = null;
let live = false;

const controls = new Controls(next => select(next), () => source.refresh());
const grid = new MapGrid($('maps'));
const source = new SnapshotSource(() => toQuery(selection), show, status);

function select(next) {
  selection = next;
  writeSelection(selection);
  source.refresh();
}

function openCell(reference, predicted) {
  select({ ...selection, grouping: 'cell', cls: `${reference}-${predicted}` });
  controls.show(selection);
  $('maps-title').scrollIntoView({ behavior: 'smooth' });
}

function show(next) {
  snapshot = next;
  // Once the silo's default pair is on show, keep it in the address: a run created later does not move the page.
  if (!selection.run && next.views.length === 2) {
    selection = { ...selection, run: next.views[0].name, compare: next.views[1].name };
    writeSelection(selection);
  }
  controls.fillRuns(next);
  render();
}

function render() {
  if (!snapshot) return;
  document.documentElement.style.setProperty('--runs', String(Math.max(1, snapshot.views.length)));
  document.documentElement.style.setProperty('--panels', String(snapshot.views.length === 2 ? 3 : 1));
  renderRunCards($('runs'), snapshot, live);
  renderMatrices($('matrices'), snapshot, selection.grouping === 'cell' ? selection.cls : null, openCell);
  const scales = grid.render(snapshot, selection.grouping, selection.cls);
  caption(scales);
}

function caption(scales) {
  const text = $('maps-caption');
  const scale = $('saliency-scale');
  const views = snapshot.views;
  text.textContent = views.length === 2 ? `A = ${views[0].name}, B = ${views[1].name}, and A − B` : '';
  scale.textContent = scales
    ? `one saliency scale for every panel: 0 to ${scales.saliency.toPrecision(3)}` + (scales.difference ? ` · A − B: ±${scales.difference.toPrecision(3)}` : '')
    : '';
  scale.dataset.saliencyMax = scales ? String(scales.saliency) : '';
}

function status({ live: now, error }) {
  const changed = now !== live;
  live = now;
  if (changed) render();
  if (!error) return notice('');
  if (error.status === 401) return notice('Reads need an API key on this silo: enter one above.');
  if (error.status === 404 && (selection.run || selection.compare)) {
    notice(`${error.message}: showing the newest runs instead.`);
    return select({ ...selection, run: null, compare: null });
  }
  notice(`Cannot read the runs: ${error.message}`);
}

function notice(text) {
  const element = $('notice');
  element.textContent = text;
  element.hidden = !text;
}

controls.show(selection);
source.start();
