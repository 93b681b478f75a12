// The header's pickers: run A, run B ("none" for one run), grouping, class and the API key.

import { apiKey, setApiKey } from './api.js';
import { count } from './format.js';
import { classValues } from './selection.js';

const $ = id => document.getElementById(id);

export class Controls {
  /** onChange(selection) when a picker changes; onKey() when a new API key was entered. */
  constructor(onChange, onKey) {
    this.a = $('run-a');
    this.b = $('run-b');
    this.grouping = $('grouping');
    this.cls = $('class');
    this.key = $('api-key');
    this.key.value = apiKey();
    const changed = () => onChange(this.selection());
    this.a.addEventListener('change', changed);
    this.b.addEventListener('change', changed);
    this.grouping.addEventListener('change', () => { this.fillClasses(this.classes); changed(); });
    this.cls.addEventListener('change', changed);
    this.key.addEventListener('change', () => { setApiKey(this.key.value); onKey(); });
    this.classes = ['N', 'S', 'V', 'F', 'Q'];
  }

  selection() {
    return { run: this.a.value || null, compare: this.b.value || 'none', grouping: this.grouping.value, cls: this.cls.value || null };
  }

  /** Shows a selection's grouping and class (before the first snapshot, and when a confusion cell is opened). */
  show(selection) {
    this.grouping.value = selection.grouping;
    this.fillClasses(this.classes);
    this.cls.value = selection.cls ?? '';
    if (this.cls.value !== (selection.cls ?? '')) this.cls.value = '';
  }

  fillClasses(classes) {
    const grouping = this.grouping.value;
    const current = this.cls.value;
    const values = classValues(grouping, classes);
    this.cls.replaceChildren(new Option('all', ''), ...values.map(v => new Option(grouping === 'cell' ? v.replace('-', ' → ') : v, v)));
    this.cls.value = values.includes(current) ? current : '';
  }

  /** The run pickers from a snapshot: every run with its beat count, the runs on show selected. */
  fillRuns(snapshot) {
    this.classes = snapshot.classes;
    const option = r => {
      const o = new Option(`${r.name} · ${r.modelVersion} · ${count(r.beats)} beats`, r.name);
      o.dataset.testid = `run-option-${r.name}`;
      return o;
    };
    const [a, b] = snapshot.views.map(v => v.name);
    this.a.replaceChildren(...snapshot.runs.map(option));
    this.b.replaceChildren(new Option('none', ''), ...snapshot.runs.map(option));
    this.a.value = a ?? '';
    this.b.value = b ?? '';
  }
}
