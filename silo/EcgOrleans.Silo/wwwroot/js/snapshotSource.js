// Keeps the page's snapshot current: one GET /api/snapshot per refresh (about a second apart while the page is
// visible), sent with the last version so an unchanged snapshot costs a 304 and no redraw.

import { getJson } from './api.js';

const REFRESH_MS = 1000;
const HIDDEN_MS = 5000;
const RETRY_MS = 2000;

export class SnapshotSource {
  /** query(): the snapshot's query string now; onSnapshot(snapshot); onStatus({ live, error }). */
  constructor(query, onSnapshot, onStatus) {
    this.query = query;
    this.onSnapshot = onSnapshot;
    this.onStatus = onStatus;
    this.etag = null;
    this.generation = 0;
    this.wake = null;
  }

  start() {
    this.loop();
  }

  /** Fetches now, forgetting the last version (the selection changed). */
  refresh() {
    this.generation++;
    this.etag = null;
    this.wake?.();
  }

  async loop() {
    for (;;) {
      const generation = this.generation;
      let wait = document.hidden ? HIDDEN_MS : REFRESH_MS;
      try {
        const result = await getJson(`/api/snapshot?${this.query()}`, this.etag);
        if (generation === this.generation) {
          if (result) {
            this.etag = result.etag;
            this.onSnapshot(result.body);
          }
          this.onStatus({ live: true });
        }
      } catch (error) {
        if (generation === this.generation) this.onStatus({ live: false, error });
        wait = RETRY_MS;
      }
      if (generation !== this.generation) continue; // the selection changed while this one was on its way
      await new Promise(resolve => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = null;
    }
  }
}
