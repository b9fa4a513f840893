// The fetch wrapper: observes the requests a page makes to one Meilisearch instance and records
// each, with its response, through `telemetry.record`. It never changes, delays or breaks a
// request or a response: the caller gets exactly what `fetch` gave (the same Response object,
// the same rejection), and the telemetry work happens on a clone, after the fact, inside
// try/catch. Requests to any other origin (or outside the instance's base path) are not looked at.

/** Bodies longer than this are not read (document payloads carry nothing the catalog needs). */
const MAX_BODY_CHARS = 1 << 20;
/** The only request headers the derivations read; no other header (never `Authorization`) is passed on. */
const KEPT_HEADERS = ['x-meilisearch-client', 'user-agent', 'content-type'];

const now = () => (globalThis.performance?.now ? performance.now() : Date.now());

function keptHeaders(...sources) {
  const out = {};
  for (const source of sources) {
    if (!source) continue;
    let entries;
    if (typeof Headers !== 'undefined' && source instanceof Headers) entries = [...source.entries()];
    else if (Array.isArray(source)) entries = source;
    else entries = Object.entries(source);
    for (const [name, value] of entries) {
      const lower = String(name).toLowerCase();
      if (KEPT_HEADERS.includes(lower)) out[lower] = String(value);
    }
  }
  return out;
}

function parseJson(text) {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_BODY_CHARS) return { body: null, invalid: false };
  try {
    return { body: JSON.parse(text), invalid: false };
  } catch {
    return { body: null, invalid: true };
  }
}

/** The request's path relative to the instance (`null` when it is not a request to it). */
function relativePath(url, base) {
  if (url.origin !== base.origin) return null;
  const prefix = base.pathname.replace(/\/+$/, '');
  if (prefix && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return null;
  return (url.pathname.slice(prefix.length) || '/') + url.search;
}

async function requestBody(input, init) {
  if (init && 'body' in init) return typeof init.body === 'string' ? parseJson(init.body).body : null;
  if (typeof Request !== 'undefined' && input instanceof Request && input.body) {
    return parseJson(await input.clone().text()).body;
  }
  return null;
}

async function responseOf(response, started) {
  const durationMs = Math.max(0, Math.round(now() - started));
  const text = await response.clone().text();
  const { body, invalid } = parseJson(text);
  return { status: response.status, body, durationMs, error: invalid ? 'invalid_json' : null };
}

/** Wraps `fetchImpl` for the instance at `host` (e.g. `http://localhost:7700`). */
export function instrumentFetch(record, fetchImpl, options) {
  if (typeof fetchImpl !== 'function') {
    throw new Error('meili-telemetry: instrumentFetch(fetch, { host }) needs the fetch function to wrap, e.g. window.fetch.bind(window)');
  }
  let base;
  try {
    base = new URL(options?.host ?? globalThis.location?.origin);
  } catch {
    throw new Error('meili-telemetry: instrumentFetch(fetch, { host }) needs the Meilisearch address as options.host, e.g. "http://localhost:7700"');
  }

  return function instrumentedFetch(input, init) {
    const started = now();
    let described = null;
    try {
      const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url, base);
      const path = relativePath(url, base);
      if (path !== null) {
        const method = (init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')).toUpperCase();
        const headers = keptHeaders(typeof input === 'object' && 'headers' in input ? input.headers : null, init?.headers);
        described = { method, path, headers, body: requestBody(input, init).catch(() => null) };
      }
    } catch {
      described = null; // never let telemetry stand in the way of the request
    }
    const pending = fetchImpl(input, init);
    if (described === null) return pending;
    const observe = async (responsePart) => {
      try {
        const body = await described.body;
        record({ ...described, body, response: await responsePart });
      } catch {
        // telemetry failures stay inside telemetry
      }
    };
    pending.then(
      (response) => { observe(responseOf(response, started)); },
      (error) => {
        const kind = error?.name === 'TimeoutError' ? 'timeout' : 'network';
        observe(Promise.resolve({ status: null, durationMs: Math.round(now() - started), error: kind }));
      },
    );
    return pending;
  };
}
