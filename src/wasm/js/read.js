// The fetch wrapper, the engine's half: reads the clones the front's wrapper (`instrument.js`)
// took of an observed request and its response into the request `record` takes. Bodies are read
// at most to `MAX_BODY_BYTES`: one of unknown length (chunked) a chunk at a time, cancelled as
// soon as it passes the limit, so a large download is never held twice.

import { MAX_BODY_BYTES } from './instrument.js';
// The only request headers the derivations read; no other (never `Authorization`) is passed on.
import { REQUEST_HEADERS } from './core-data.js';

/** The kept headers of each source (a `Headers`, an array of pairs or a record; later wins). */
function keptHeaders(...sources) {
  const out = {};
  for (const source of sources) {
    const headers = new Headers(source ?? undefined);
    for (const name of REQUEST_HEADERS) {
      const value = headers.get(name);
      if (value !== null) out[name] = value;
    }
  }
  return out;
}

/** The text of a cloned body; `null` past the limit. (A compressed body declares its compressed
 * length: its text may be longer, and `parseJson` then refuses it by its length.) */
async function boundedText(copy) {
  if (!copy) return null;
  if (Number(copy.headers.get('content-length') ?? NaN) >= 0 || !copy.body) return copy.text();
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

/** The JSON value of a body's text (`null` for a body not read); none for an empty text or one
 * over the limit (in UTF-16 units, never more than its UTF-8 bytes), and `invalid` when it is not
 * JSON. */
function parseJson(text) {
  if (!text || text.length > MAX_BODY_BYTES) return { body: null, invalid: false };
  try {
    return { body: JSON.parse(text), invalid: false };
  } catch {
    return { body: null, invalid: true };
  }
}

/** The request `record` takes, from what the wrapper saw (`instrument.js`); `null` if its clones
 * could not be read. */
export async function readObserved({ path, init, request, response, status, durationMs, error }) {
  try {
    const text = init && 'body' in init ? init.body : await boundedText(request);
    const answer = parseJson(await boundedText(response));
    return {
      method: (init?.method ?? request?.method ?? 'GET').toUpperCase(),
      path,
      headers: keptHeaders(request?.headers, init?.headers),
      body: typeof text === 'string' ? parseJson(text).body : null,
      response: { status, body: answer.body, durationMs, error: error ?? (answer.invalid ? 'invalid_json' : null) },
    };
  } catch {
    return null;
  }
}
