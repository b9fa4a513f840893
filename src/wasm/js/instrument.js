// The fetch wrapper, the front's half: it sees the requests a page makes to one Meilisearch
// instance and hands each, with a clone of its response, to `observe`. It never changes, delays
// or breaks a request or a response: the caller gets exactly what `fetch` gave (the same
// Response object, the same rejection), and the telemetry work happens on clones, after the
// fact, inside try/catch. Requests to any other origin (or outside the instance's base path) are
// not looked at. The bodies are read by the engine's half (`read.js`), which the front's kept
// calls wait for.

/** Bodies longer than this many bytes are not read (document payloads carry nothing the catalog
 * needs): not even cloned when their `Content-Length` says so (`read.js` stops the others there). */
export const MAX_BODY_BYTES = 1 << 20;
/** A clone of a body worth reading: none when it declares more than the limit, or when it is a
 * server-sent event stream (a streamed chat completion, possibly open for minutes). */
const cloneOf = (message) => (Number(message.headers.get('content-length')) > MAX_BODY_BYTES
  || /event-stream/i.test(message.headers.get('content-type')) ? null : message.clone());

/** Wraps `fetchImpl` for the instance at `host` (e.g. `http://localhost:7700`); `observe(seen)`
 * gets `{ path, init, request, response, status, durationMs, error }`: the path relative to the
 * instance, the caller's `init`, a clone of its `Request` (if it passed one) and of the
 * `Response`. While `active()` says no (the engine could not load), requests pass straight
 * through, unseen. */
export function instrumentFetch(observe, fetchImpl, options, active = () => true) {
  if (typeof fetchImpl !== 'function') throw new Error('meili-telemetry: instrumentFetch needs a fetch function');
  let base;
  try {
    base = new URL(options?.host ?? globalThis.location?.origin);
  } catch {
    throw new Error('meili-telemetry: instrumentFetch needs options.host (a URL)');
  }
  const prefix = base.pathname.replace(/\/+$/, '');

  return function instrumentedFetch(input, init) {
    let seen = null;
    const started = performance.now();
    try {
      const request = input instanceof Request ? input : null;
      const url = active() && new URL(request?.url ?? input, base);
      const path = url.pathname;
      if (url.origin === base.origin && `${path}/`.startsWith(`${prefix}/`)) {
        seen = { path: (path.slice(prefix.length) || '/') + url.search, init, request: request && cloneOf(request) };
      }
    } catch {
      seen = null; // never let telemetry stand in the way of the request
    }
    const pending = fetchImpl(input, init);
    const done = (fields) => {
      try {
        observe({ ...seen, durationMs: Math.round(performance.now() - started), ...fields });
      } catch {
        // telemetry failures stay inside telemetry
      }
    };
    if (seen) {
      pending.then(
        (response) => done({ status: response.status, response: cloneOf(response) }),
        (error) => done({ status: null, error: error?.name === 'TimeoutError' ? 'timeout' : 'network' }),
      );
    }
    return pending;
  };
}
