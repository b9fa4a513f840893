// The browser's engine chunk: the wasm-bindgen glue, the engine's API and the sender, with the
// `.wasm` fetched next to this file and compiled while it downloads. `.ci/build` bundles it into
// `pkg/engine.js`; the front (`pkg/index.js`) imports it when the page is idle.
import init, * as wasm from './wasm/meili_telemetry.js';
import { defineEngine } from './telemetry.js';

/** The module's response, for `instantiateStreaming` (the glue's path for a `Response`), or its
 * bytes when the server sends another MIME type (streaming compilation refuses those). */
async function fetchModule(signal) {
  const url = new URL('./meili_telemetry_bg.wasm', import.meta.url);
  const response = await fetch(url, { signal, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url.pathname} answered HTTP ${response.status}`);
  const streamable = typeof WebAssembly.instantiateStreaming === 'function'
    && /^application\/wasm\b/i.test(response.headers.get('content-type') ?? '');
  return streamable ? response : response.arrayBuffer();
}

export const { loadEngine } = defineEngine(async (signal) => init({ module_or_path: await fetchModule(signal) }), wasm);
