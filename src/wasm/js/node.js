// Node entry of meili-telemetry: the `.wasm` is read from the package folder. `.ci/build`
// bundles this entry with the modules it imports into one `pkg/node.js`.
import { readFile } from 'node:fs/promises';
import init, * as wasm from './wasm/meili_telemetry.js';
import { defineApi } from './telemetry.js';

export { catalog } from './telemetry.js';

const api = defineApi(async () => init({ module_or_path: await readFile(new URL('./meili_telemetry_bg.wasm', import.meta.url)) }), wasm);

export const Telemetry = api.Telemetry;
/** Resolves when the WebAssembly module is loaded (optional: `Telemetry.create` waits for it). */
export const ready = api.ready;
