// What the page shows, kept in its address: ?run=A&compare=B|none&grouping=reference|predicted|cell&class=V.
// Without run (and compare) the silo picks the two newest runs of different models.

export const GROUPINGS = ['reference', 'predicted', 'cell'];

export function readSelection(search = location.search) {
  const query = new URLSearchParams(search);
  const grouping = GROUPINGS.includes(query.get('grouping')) ? query.get('grouping') : 'reference';
  return { run: query.get('run') || null, compare: query.get('compare') || null, grouping, cls: query.get('class') || null };
}

export function writeSelection(selection) {
  history.replaceState(null, '', `?${toQuery(selection)}`);
}

/** The query of the snapshot (and of the page's address) for a selection. */
export function toQuery({ run, compare, grouping, cls }) {
  const query = new URLSearchParams();
  if (run) query.set('run', run);
  if (compare) query.set('compare', compare);
  query.set('grouping', grouping);
  if (cls) query.set('class', cls);
  return query.toString();
}

/** The classes a grouping offers: AAMI classes, or every reference-predicted pair for cells. */
export const classValues = (grouping, classes) => (grouping === 'cell' ? classes.flatMap(r => classes.map(p => `${r}-${p}`)) : classes);
