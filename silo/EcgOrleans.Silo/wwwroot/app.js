// The EcgOrleans page: pick one run (and a second to compare), a grouping and a class; every class map is
// plotted (average beat ± SD, average saliency as a curve and as a colour band) and kept live through the
// run's server-sent-event stream. Plain JS; the plots are uPlot (served from lib/, built from npm).
'use strict';

(() => {
  const CLASSES = ['N', 'S', 'V', 'F', 'Q'];
  // EcgOrleans.Signal's RhythmFeatures.Names, for models that take all four rhythm features.
  const RHYTHM_NAMES = ['pre-RR / avg', 'post-RR / avg', 'local-RR / avg', 'avg RR (s)'];
  // Colour band from low to high saliency (ColorBrewer OrRd).
  const HEAT = [[255, 247, 236], [253, 212, 158], [252, 141, 89], [215, 48, 31], [127, 0, 0]];
  const PLOT_HEIGHT = 220;
  const KEY_STORAGE = 'ecg-api-key';

  const $ = id => document.getElementById(id);
  const controls = { a: $('run-a'), b: $('run-b'), grouping: $('grouping'), cls: $('class'), key: $('api-key') };
  const feeds = new Map();   // run name -> Feed
  const panels = new Map();  // "run|mapKey" -> Panel
  let runs = [];

  // ---- HTTP -------------------------------------------------------------------------------------------

  const apiKey = () => sessionStorage.getItem(KEY_STORAGE) || '';
  localStorage.removeItem(KEY_STORAGE); // pages before kept the key here, beyond the session
  const authHeaders = () => (apiKey() ? { 'X-Api-Key': apiKey() } : {});

  async function problemOf(response) {
    let detail = response.statusText;
    try {
      const body = await response.json();
      detail = body.detail || body.title || detail;
    } catch { /* not a problem document */ }
    const error = new Error(`${response.status}: ${detail}`);
    error.status = response.status;
    return error;
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: authHeaders() });
    if (!response.ok) throw await problemOf(response);
    return response.json();
  }

  function notice(text) {
    const element = $('notice');
    element.textContent = text || '';
    element.hidden = !text;
  }

  const sleep = (ms, signal) => new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

  /** Reads a text/event-stream body, calling onEvent(type, data) per event (fetch, not EventSource, so the API key can travel in a header). */
  async function readEvents(body, onEvent) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer[end] === '\r' ? 4 : 2));
        let type = 'message';
        const data = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') type = text;
          else if (field === 'data') data.push(text);
        }
        if (data.length) onEvent(type, data.join('\n'));
      }
    }
  }

  // ---- one live run -------------------------------------------------------------------------------------

  /** A run's class maps, kept current by its event stream; reconnects after a drop. */
  class Feed {
    constructor(run) {
      this.run = run;
      this.info = null;
      this.maps = new Map();
      this.live = false;
      this.abort = new AbortController();
      this.loop();
    }

    close() { this.abort.abort(); }

    async loop() {
      const signal = this.abort.signal;
      while (!signal.aborted) {
        try {
          const response = await fetch(`/api/runs/${encodeURIComponent(this.run)}/maps/stream`,
            { headers: { ...authHeaders(), Accept: 'text/event-stream' }, signal });
          if (!response.ok) throw await problemOf(response);
          this.setLive(true);
          await readEvents(response.body, (type, data) => this.onEvent(type, data));
        } catch (error) {
          if (signal.aborted) return;
          if (error.status === 401) notice('Reads need an API key on this silo: enter one above.');
          else if (error.status === 404) notice(`Run ${this.run} does not exist (any more).`);
          else if (error.status) notice(`Stream of run ${this.run}: ${error.message}`);
        }
        this.setLive(false);
        await sleep(2000, signal);
      }
    }

    setLive(live) {
      this.live = live;
      renderRunCards();
    }

    onEvent(type, json) {
      const data = JSON.parse(json);
      if (type === 'run') {
        this.info = data;
        renderRunCards();
      } else if (type === 'map') {
        const held = this.maps.get(data.key);
        if (held && held.merges > data.merges) return; // an older view overtaken on the way
        this.maps.set(data.key, data);
        if (data.key.startsWith('cell/')) renderMatrices();
        const panel = panels.get(`${this.run}|${data.key}`);
        if (panel) panel.update(data);
        else if (controls.grouping.value === 'cell' && !controls.cls.value && data.key.startsWith('cell/')) renderMaps();
      }
    }
  }

  // ---- one plot -------------------------------------------------------------------------------------------

  const heat = (v, alpha = 1) => {
    const x = Math.min(1, Math.max(0, v)) * (HEAT.length - 1);
    const i = Math.min(HEAT.length - 2, Math.floor(x));
    const t = x - i;
    const c = HEAT[i].map((lo, k) => Math.round(lo + (HEAT[i + 1][k] - lo) * t));
    return `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;
  };

  const testId = (run, key) => `${run}-${key.replace('/', '-')}`;

  /** One class map of one run: a uPlot of the average beat ± SD and the average saliency, with a saliency colour band. */
  class Panel {
    constructor(run, key, parent, showRun) {
      this.run = run;
      this.key = key;
      this.saliency = [];
      this.element = document.createElement('article');
      this.element.className = 'map-panel';
      this.element.dataset.testid = `panel-${testId(run, key)}`;
      const [grouping, cls] = key.split('/');
      const title = grouping === 'cell' ? `reference ${cls.split('-')[0]} → predicted ${cls.split('-')[1]}` : `${grouping} ${cls}`;
      this.element.innerHTML = `
        <header>
          <span class="title"></span>
          <span class="meta"><span class="count">0</span> beats<span class="merges"></span></span>
        </header>
        <div class="plot"></div>
        <div class="empty">no beats yet</div>
        <div class="rhythm"></div>`;
      this.element.querySelector('.count').dataset.testid = `count-${testId(run, key)}`;
      const titleElement = this.element.querySelector('.title');
      titleElement.textContent = title;
      if (showRun) {
        const name = document.createElement('span');
        name.className = 'run-name';
        name.textContent = run;
        titleElement.append(name);
      }
      parent.append(this.element);
      this.plotElement = this.element.querySelector('.plot');
      this.plot = new uPlot(this.options(), [[], [], [], [], []], this.plotElement);
      this.resize = new ResizeObserver(() => this.plot.setSize({ width: this.width(), height: PLOT_HEIGHT }));
      this.resize.observe(this.plotElement);
    }

    width() { return Math.max(240, Math.floor(this.plotElement.getBoundingClientRect().width)); }

    options() {
      const panel = this;
      return {
        width: this.width(),
        height: PLOT_HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false }, saliency: { range: (u, min, max) => [0, max > 0 ? max * 1.05 : 1] } },
        axes: [
          { label: 'sample', size: 34, labelSize: 14, font: '11px system-ui', labelFont: '11px system-ui' },
          { label: 'beat (standardised)', size: 46, labelSize: 14, font: '11px system-ui', labelFont: '11px system-ui' },
          { scale: 'saliency', side: 1, label: 'saliency', size: 46, labelSize: 14, grid: { show: false }, stroke: '#c81e1e', font: '11px system-ui', labelFont: '11px system-ui' },
        ],
        series: [
          {},
          { label: 'average beat', stroke: '#1f2933', width: 1.6 },
          { label: '+1 SD', stroke: 'rgba(82, 96, 109, 0.45)', width: 0.8 },
          { label: '−1 SD', stroke: 'rgba(82, 96, 109, 0.45)', width: 0.8 },
          { label: 'saliency', stroke: '#c81e1e', width: 1.2, fill: 'rgba(200, 30, 30, 0.10)', scale: 'saliency' },
        ],
        bands: [{ series: [2, 3], fill: 'rgba(82, 96, 109, 0.16)' }],
        hooks: {
          // Behind the curves: each sample's column tinted by its saliency, and a solid strip along the bottom.
          drawClear: [u => panel.drawBand(u)],
        },
      };
    }

    drawBand(u) {
      const values = this.saliency;
      if (!values.length) return;
      const max = values.reduce((m, v) => Math.max(m, v), 0) || 1;
      const { left, top, width, height } = u.bbox;
      const strip = Math.round(8 * devicePixelRatio);
      const ctx = u.ctx;
      ctx.save();
      for (let i = 0; i < values.length; i++) {
        const x0 = Math.max(left, Math.floor(u.valToPos(i - 0.5, 'x', true)));
        const x1 = Math.min(left + width, Math.ceil(u.valToPos(i + 0.5, 'x', true)));
        if (x1 <= x0) continue;
        const v = values[i] / max;
        ctx.fillStyle = heat(v, 0.28 * v);
        ctx.fillRect(x0, top, x1 - x0, height - strip);
        ctx.fillStyle = heat(v);
        ctx.fillRect(x0, top + height - strip, x1 - x0, strip);
      }
      ctx.restore();
    }

    update(view) {
      const n = view.waveformLength;
      const x = Array.from({ length: n }, (_, i) => i);
      const mean = view.beatMean.slice(0, n);
      const sd = view.beatSd.slice(0, n);
      this.saliency = view.saliencyMean.slice(0, n);
      this.plot.setData([x, mean, mean.map((m, i) => m + sd[i]), mean.map((m, i) => m - sd[i]), this.saliency]);

      const count = this.element.querySelector('.count');
      const changed = count.textContent !== view.count.toLocaleString('en');
      count.textContent = view.count.toLocaleString('en');
      this.element.querySelector('.merges').textContent = view.count ? ` · ${view.merges} merges · ${new Date(view.updated).toLocaleTimeString()}` : '';
      this.element.querySelector('.empty').hidden = view.count > 0;
      this.renderRhythm(view, n);
      if (changed) {
        this.element.classList.add('flash');
        setTimeout(() => this.element.classList.remove('flash'), 600);
      }
    }

    renderRhythm(view, n) {
      const rhythm = view.saliencyMean.slice(n);
      const container = this.element.querySelector('.rhythm');
      container.replaceChildren();
      if (!rhythm.length || !view.count) return;
      const max = Math.max(...view.saliencyMean) || 1;
      const names = rhythm.length === RHYTHM_NAMES.length ? RHYTHM_NAMES : rhythm.map((_, i) => `rhythm ${i + 1}`);
      const label = document.createElement('span');
      label.textContent = 'rhythm-feature saliency:';
      container.append(label);
      rhythm.forEach((v, i) => {
        const item = document.createElement('span');
        item.title = `average saliency ${v.toPrecision(3)}`;
        item.textContent = `${names[i]} ${v.toPrecision(2)}`;
        const bar = document.createElement('b');
        bar.style.width = `${Math.max(1, Math.round((v / max) * 40))}px`;
        item.append(bar);
        container.append(item);
      });
    }

    destroy() {
      this.resize.disconnect();
      this.plot.destroy();
      this.element.remove();
    }
  }

  // ---- rendering ------------------------------------------------------------------------------------------

  const selectedRuns = () => [controls.a.value, controls.b.value].filter((run, i, all) => run && all.indexOf(run) === i);

  function setColumns() {
    document.documentElement.style.setProperty('--runs', String(Math.max(1, selectedRuns().length)));
  }

  function renderRunCards() {
    const container = $('runs');
    container.replaceChildren();
    for (const run of selectedRuns()) {
      const feed = feeds.get(run);
      const summary = runs.find(r => r.name === run);
      const info = feed?.info;
      const config = info?.config ?? summary;
      const card = document.createElement('article');
      card.className = 'run-card';
      card.dataset.testid = `run-card-${run}`;
      const records = info ? info.records : [];
      const rows = [
        ['model', config?.modelVersion ?? '…'],
        ['saliency', config ? `${config.method}, target ${config.target}` : '…'],
        ['representation', config?.representation ?? '…'],
        ['beats scored', (info?.beatsScored ?? summary?.beatsScored ?? 0).toLocaleString('en')],
        ['records', info ? `${records.filter(r => r.done).length} done of ${records.length}` : `${summary?.recordsDone ?? 0} done of ${summary?.records ?? 0}`],
      ];
      card.innerHTML = `<h3><span class="live ${feed?.live ? 'on' : 'off'}" title="${feed?.live ? 'live' : 'reconnecting'}"></span><span class="name"></span></h3>`;
      card.querySelector('.name').textContent = run;
      for (const [term, value] of rows) {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        if (term === 'beats scored') dd.dataset.testid = `beats-${run}`;
        card.append(dt, dd);
      }
      container.append(card);
    }
  }

  function renderMatrices() {
    const container = $('matrices');
    container.replaceChildren();
    const selectedCell = controls.grouping.value === 'cell' ? controls.cls.value : '';
    for (const run of selectedRuns()) {
      const maps = feeds.get(run)?.maps ?? new Map();
      const count = (r, p) => maps.get(`cell/${r}-${p}`)?.count ?? 0;
      const wrapper = document.createElement('div');
      wrapper.className = 'matrix';
      const table = document.createElement('table');
      table.dataset.testid = `matrix-${run}`;
      const caption = table.createCaption();
      caption.textContent = run;
      const head = table.createTHead().insertRow();
      head.append(cell('th', 'ref \\ pred'), ...CLASSES.map(c => cell('th', c)), cell('th', 'total', 'total'));
      const body = table.createTBody();
      const columnTotals = CLASSES.map(p => CLASSES.reduce((s, r) => s + count(r, p), 0));
      for (const r of CLASSES) {
        const row = body.insertRow();
        row.append(cell('th', r));
        const rowTotal = CLASSES.reduce((s, p) => s + count(r, p), 0);
        for (const p of CLASSES) {
          const n = count(r, p);
          const td = document.createElement('td');
          if (r === p) td.classList.add('diagonal');
          const share = rowTotal ? n / rowTotal : 0;
          td.style.background = n ? (r === p ? `rgba(47, 158, 68, ${0.1 + 0.45 * share})` : `rgba(200, 30, 30, ${0.08 + 0.5 * share})`) : '';
          const button = document.createElement('button');
          button.type = 'button';
          button.textContent = n.toLocaleString('en');
          button.title = `reference ${r}, predicted ${p}: ${n} beats — open this cell's map`;
          button.dataset.testid = `cell-${run}-${r}-${p}`;
          if (selectedCell === `${r}-${p}`) button.classList.add('selected');
          button.addEventListener('click', () => openCell(r, p));
          td.append(button);
          row.append(td);
        }
        row.append(cell('td', rowTotal.toLocaleString('en'), 'total'));
      }
      const foot = table.createTFoot().insertRow();
      foot.append(cell('th', 'total', 'total'), ...columnTotals.map(n => cell('td', n.toLocaleString('en'), 'total')), cell('td', '', 'total'));
      wrapper.append(table);
      container.append(wrapper);
    }
  }

  function cell(tag, text, className) {
    const element = document.createElement(tag);
    element.textContent = text;
    if (className) element.className = className;
    return element;
  }

  /** The map keys the current grouping and class show. */
  function shownKeys() {
    const grouping = controls.grouping.value;
    const cls = controls.cls.value;
    if (cls) return [`${grouping}/${cls}`];
    if (grouping !== 'cell') return CLASSES.map(c => `${grouping}/${c}`);
    const keys = new Set();
    for (const run of selectedRuns()) for (const key of feeds.get(run)?.maps.keys() ?? []) if (key.startsWith('cell/')) keys.add(key);
    const order = key => { const [r, p] = key.slice(5).split('-'); return CLASSES.indexOf(r) * 5 + CLASSES.indexOf(p); };
    return [...keys].sort((x, y) => order(x) - order(y));
  }

  function renderMaps() {
    for (const panel of panels.values()) panel.destroy();
    panels.clear();
    const container = $('maps');
    container.replaceChildren();
    const selected = selectedRuns();
    const keys = shownKeys();
    $('maps-caption').textContent = selected.length > 1 ? `${selected[0]} (left) and ${selected[1]} (right)` : '';
    if (!selected.length) {
      container.textContent = 'No run yet: create one with PUT /api/runs/{run} (or `ecg ingest`) and stream records into it.';
      return;
    }
    if (!keys.length) {
      container.textContent = 'No confusion cell has beats yet.';
      return;
    }
    for (const key of keys) {
      const row = document.createElement('div');
      row.className = 'map-row';
      container.append(row);
      for (const run of selected) {
        const panel = new Panel(run, key, row, selected.length > 1);
        panels.set(`${run}|${key}`, panel);
        const view = feeds.get(run)?.maps.get(key);
        if (view) panel.update(view);
      }
    }
  }

  function fillClassOptions() {
    const grouping = controls.grouping.value;
    const current = controls.cls.value;
    const values = grouping === 'cell' ? CLASSES.flatMap(r => CLASSES.map(p => `${r}-${p}`)) : CLASSES;
    controls.cls.replaceChildren(new Option('all', ''), ...values.map(v => new Option(grouping === 'cell' ? v.replace('-', ' → ') : v, v)));
    controls.cls.value = values.includes(current) ? current : '';
  }

  // ---- selection -------------------------------------------------------------------------------------------

  function syncFeeds() {
    const wanted = new Set(selectedRuns());
    for (const [run, feed] of feeds) if (!wanted.has(run)) { feed.close(); feeds.delete(run); }
    for (const run of wanted) if (!feeds.has(run)) feeds.set(run, new Feed(run));
  }

  function writeUrl() {
    const query = new URLSearchParams();
    if (controls.a.value) query.set('run', controls.a.value);
    if (controls.b.value) query.set('compare', controls.b.value);
    query.set('grouping', controls.grouping.value);
    if (controls.cls.value) query.set('class', controls.cls.value);
    history.replaceState(null, '', `?${query}`);
  }

  function selectionChanged() {
    writeUrl();
    setColumns();
    syncFeeds();
    renderRunCards();
    renderMatrices();
    renderMaps();
  }

  function openCell(reference, predicted) {
    controls.grouping.value = 'cell';
    fillClassOptions();
    controls.cls.value = `${reference}-${predicted}`;
    selectionChanged();
    $('maps-title').scrollIntoView({ behavior: 'smooth' });
  }

  function fillRunOptions() {
    const names = runs.map(r => r.name);
    const a = controls.a.value;
    const b = controls.b.value;
    const label = r => `${r.name} · ${r.modelVersion} · ${r.beatsScored.toLocaleString('en')} beats`;
    controls.a.replaceChildren(...runs.map(r => new Option(label(r), r.name)));
    controls.b.replaceChildren(new Option('none', ''), ...runs.map(r => new Option(label(r), r.name)));
    controls.a.value = names.includes(a) ? a : (names[0] ?? '');
    controls.b.value = names.includes(b) ? b : '';
  }

  async function loadRuns() {
    try {
      runs = await getJson('/api/runs');
      if (!$('notice').textContent.startsWith('Stream')) notice('');
      return true;
    } catch (error) {
      notice(error.status === 401 ? 'Reads need an API key on this silo: enter one above.' : `Cannot list runs: ${error.message}`);
      return false;
    }
  }

  async function start() {
    const query = new URLSearchParams(location.search);
    controls.key.value = apiKey();
    controls.grouping.value = ['reference', 'predicted', 'cell'].includes(query.get('grouping')) ? query.get('grouping') : 'reference';
    fillClassOptions();
    controls.cls.value = query.get('class') ?? '';
    if (controls.cls.value !== (query.get('class') ?? '')) controls.cls.value = '';
    await loadRuns();
    fillRunOptions();
    if (query.get('run') && runs.some(r => r.name === query.get('run'))) controls.a.value = query.get('run');
    if (query.get('compare') && runs.some(r => r.name === query.get('compare'))) controls.b.value = query.get('compare');
    selectionChanged();

    controls.a.addEventListener('change', selectionChanged);
    controls.b.addEventListener('change', selectionChanged);
    controls.grouping.addEventListener('change', () => { fillClassOptions(); selectionChanged(); });
    controls.cls.addEventListener('change', selectionChanged);
    controls.key.addEventListener('change', async () => {
      sessionStorage.setItem(KEY_STORAGE, controls.key.value.trim());
      for (const feed of feeds.values()) feed.close();
      feeds.clear();
      await loadRuns();
      fillRunOptions();
      selectionChanged();
    });

    // New runs (and the runs' beat counts) appear in the pickers without a reload.
    setInterval(async () => {
      if (!(await loadRuns())) return;
      const selected = selectedRuns().join();
      fillRunOptions();
      if (selectedRuns().join() !== selected) selectionChanged();
      else renderRunCards();
    }, 10000);
  }

  start();
})();
