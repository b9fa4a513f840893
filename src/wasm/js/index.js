// Browser (and bundler) entry of meili-telemetry: the front alone. The engine is a separate chunk
// (`./engine.js`, which fetches the `.wasm` next to it), imported when the page is idle or when
// a call needs it. `.ci/build` bundles this entry with the modules it imports into `pkg/index.js`.
import { defineFront } from './front.js';

export { catalog } from './front.js';

export const { createTelemetry, Telemetry } = defineFront((signal) => import('./engine.js').then((chunk) => chunk.loadEngine(signal)));
