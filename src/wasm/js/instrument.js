// The fetch wrapper: observes the requests a page makes to one Meilisearch instance and records
// each, with its response, through `telemetry.record`. It never changes, delays or breaks a
// request or a response: the caller gets exactly what `fetch` gave (the same Response object,
// the same rejection), and the telemetry work happens on a clone, after the fact, inside
// try/catch. Requests to any other origin (or outside the instance's base path) are not looked at.

/** Bodies longer than this many bytes are not read (document payloads carry nothing the catalog
 * needs): not even cloned when their `Content-Length` says so, else read from a clone only up to
 * this size, then let go. */
const MAX_BODY_BYTES = 1 << 20;
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

/** The JSON value of a body's text (a string, or `null` for a body not read); none for an empty
 * text or one over the limit (in UTF-16 units, never more than its UTF-8 bytes), and `invalid`
 * when it is not JSON. */
function parseJson(text) {
  if (!text || text.length > MAX_BODY_BYTES) return { body: null, invalid: false };
  try {
    return { body: JSON.parse(text), invalid: false };
  } catch {
    return { body: null, invalid: true };
  }
}

/** The text of a request's or response's body, read from a clone (the caller's own body is left
 * untouched); `null` when it is longer than `MAX_BODY_BYTES`. A body of unknown length (chunked) is
 * read a chunk at a time and cancelled as soon as it passes the limit, so a large download is never
 * held twice. (A compressed body declares its compressed length: its text may be longer, and
 * `parseJson` then refuses it by its length.) */
async function boundedText(message) {
  const declared = Number(message.headers.get('content-length') ?? NaN);
  if (declared > MAX_BODY_BYTES) return null;
  const copy = message.clone();
  if (declared >= 0 || !copy.body) return copy.text();
  const reader = copy.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (let size = 0, read; !(read = await reader.read()).done; ) {
    size += read.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      // Not awaited: a clone's cancellation settles only once the caller's body is cancelled too.
      reader.cancel().catch(() => {});
      return null;
    }
    text += decoder.decode(read.value, { stream: true });
  }
  return text + decoder.decode();
}

/** A server-sent event stream (a streamed chat completion): a stream of events, not one JSON
 * document, and possibly open for minutes. */
const isEventStream = (message) => /event-stream/i.test(message.headers.get('content-type'));

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
    return parseJson(await boundedText(input)).body;
  }
  return null;
}

async function responseOf(response, started) {
  const durationMs = Math.max(0, Math.round(now() - started));
  const { body, invalid } = parseJson(isEventStream(response) ? null : await boundedText(response));
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
