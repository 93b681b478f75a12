// A confusion matrix per run on show: rows reference class, columns predicted class, from the snapshot's counts;
// a row for beats without a reference when there are any, so the columns add up to the predicted classes.

import { count, element } from './format.js';

function cellButton(run, r, p, n, share, selected, onOpen) {
  const td = element('td', r === p ? 'diagonal' : null);
  if (n) td.style.background = r === p ? `rgba(47, 158, 68, ${0.1 + 0.45 * share})` : `rgba(200, 30, 30, ${0.08 + 0.5 * share})`;
  const button = element('button', selected ? 'selected' : null, count(n));
  button.type = 'button';
  button.title = `reference ${r}, predicted ${p}: ${n} beats — open this cell's map`;
  button.dataset.testid = `cell-${run}-${r}-${p}`;
  button.addEventListener('click', () => onOpen(r, p));
  td.append(button);
  return td;
}

function total(text, testId) {
  const td = element('td', 'total', text);
  if (testId) td.dataset.testid = testId;
  return td;
}

/** selectedCell: "V-N" when that cell's map is open; onOpen(reference, predicted) opens one. */
export function renderMatrices(container, snapshot, selectedCell, onOpen) {
  const classes = snapshot.classes;
  container.replaceChildren(...snapshot.views.map(view => {
    const run = view.name;
    const table = element('table');
    table.dataset.testid = `matrix-${run}`;
    table.createCaption().textContent = `${run} · ${count(view.beats)} beats`;
    table.createTHead().insertRow().append(element('th', null, 'ref \\ pred'), ...classes.map(c => element('th', null, c)), element('th', 'total', 'total'));
    const body = table.createTBody();
    classes.forEach((r, i) => {
      const cells = view.confusion[i];
      const rowTotal = cells.reduce((s, n) => s + n, 0);
      body.insertRow().append(element('th', null, r),
        ...classes.map((p, j) => cellButton(run, r, p, cells[j], rowTotal ? cells[j] / rowTotal : 0, selectedCell === `${r}-${p}`, onOpen)),
        total(count(rowTotal), `row-total-${run}-${r}`));
    });
    const unlabelled = view.unlabelled.reduce((s, n) => s + n, 0);
    if (unlabelled) {
      body.insertRow().append(element('th', 'total', 'no reference'), ...view.unlabelled.map(n => total(count(n))), total(count(unlabelled)));
    }
    table.createTFoot().insertRow().append(element('th', 'total', 'total'),
      ...classes.map(p => total(count(view.predicted[p]), `column-total-${run}-${p}`)),
      total(count(view.beats), `matrix-total-${run}`));
    return element('div', 'matrix', null, table);
  }));
}
