// HTTP to the silo's API: the API key the page sends, and errors read from RFC 7807 problem documents.

const KEY_STORAGE = 'ecg-api-key';

// The key lives for the browser tab's session only; pages before kept it in localStorage, beyond the session.
export const apiKey = () => sessionStorage.getItem(KEY_STORAGE) || '';
localStorage.removeItem(KEY_STORAGE);

export function setApiKey(key) {
  sessionStorage.setItem(KEY_STORAGE, key.trim());
}

const authHeaders = () => (apiKey() ? { 'X-Api-Key': apiKey() } : {});

/** An Error carrying the response's status and the problem's detail. */
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

/**
 * GETs JSON. With an etag, a 304 answer resolves to null (nothing changed); otherwise to { etag, body }.
 * The etag is sent by hand so the browser hands the 304 back instead of a cached copy.
 */
export async function getJson(path, etag) {
  const headers = { ...authHeaders(), Accept: 'application/json' };
  if (etag) headers['If-None-Match'] = etag;
  const response = await fetch(path, { headers, cache: 'no-store' });
  if (response.status === 304) return null;
  if (!response.ok) throw await problemOf(response);
  return { etag: response.headers.get('ETag'), body: await response.json() };
}
