// Node entry of meili-telemetry: the front and the engine in one file, the `.wasm` read from the
// package folder. `.ci/build` bundles this entry with the modules it imports into `pkg/node.js`.
import { readFile } from 'node:fs/promises';
import init, * as wasm from './wasm/meili_telemetry.js';
import { defineFront } from './front.js';
import { defineEngine } from './telemetry.js';

export { catalog } from './front.js';

const { loadEngine } = defineEngine(async () => init({ module_or_path: await readFile(new URL('./meili_telemetry_bg.wasm', import.meta.url)) }), wasm);

export const { createTelemetry, Telemetry } = defineFront(loadEngine);
