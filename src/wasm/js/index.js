// Browser (and bundler) entry of meili-telemetry: the `.wasm` is fetched next to this file.
// `.ci/build` bundles this entry with the modules it imports into one `pkg/index.js`.
import init, * as wasm from './wasm/meili_telemetry.js';
import { defineApi } from './telemetry.js';

export { catalog } from './telemetry.js';

const api = defineApi(() => init({ module_or_path: new URL('./meili_telemetry_bg.wasm', import.meta.url) }), wasm);

export const Telemetry = api.Telemetry;
/** Resolves when the WebAssembly module is loaded (optional: `Telemetry.create` waits for it). */
export const ready = api.ready;
