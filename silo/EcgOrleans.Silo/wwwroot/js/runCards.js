// A card per run on show: what it analyses, how its beats are cut, and how far it has got.

import { count, element } from './format.js';

/** "3 finished", "4 streaming", "1 finished, 3 streaming": a live run's records stream until stopped, so none may be finished yet. */
export function recordsText(records) {
  if (!records.total) return 'none yet';
  const parts = [];
  if (records.done) parts.push(`${records.done} finished`);
  if (records.streaming) parts.push(`${records.streaming} streaming`);
  return parts.join(', ');
}

function axisText(axis) {
  if (axis.unit !== 'ms') return 'samples (unknown representation)';
  const before = (axis.samplesBeforeR * 1000) / axis.samplingFrequency;
  return `${axis.samplingFrequency} Hz, ${Math.round(before)} ms before R`;
}

export function renderRunCards(container, snapshot, live) {
  const labels = ['A', 'B'];
  container.replaceChildren(...snapshot.views.map((view, i) => {
    const config = view.config;
    const unlabelled = view.unlabelled.reduce((s, n) => s + n, 0);
    const rows = [
      ['model', config.modelVersion],
      ['saliency', `${config.method}, target ${config.target}`],
      ['beats', `${config.representation} · ${axisText(view.axis)}`],
      ['rhythm features', view.features.length ? view.features.join(' · ') : 'none'],
      ['beats scored', count(view.beats) + (unlabelled ? ` (${count(unlabelled)} without reference)` : ''), `beats-${view.name}`],
      ['records', recordsText(view.records), `records-${view.name}`],
    ];
    const state = element('span', `live ${live ? 'on' : 'off'}`);
    state.title = live ? 'live' : 'reconnecting';
    const card = element('article', 'run-card', null,
      element('h3', null, null, state, element('span', 'label', snapshot.views.length > 1 ? labels[i] : ''), element('span', 'name', view.name)));
    for (const [term, value, testId] of rows) {
      const dd = element('dd', null, value);
      if (testId) dd.dataset.testid = testId;
      card.append(element('dt', null, term), dd);
    }
    if (!view.consistent) card.append(element('p', 'note', 'A batch is still being merged: counts may differ by it until the next refresh.'));
    card.dataset.testid = `run-card-${view.name}`;
    return card;
  }));
}
