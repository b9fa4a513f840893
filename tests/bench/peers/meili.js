// meili-telemetry: one observed search per call (aggregated in place), sent by an explicit flush.
import { Telemetry, createTelemetry } from 'meili-telemetry';
import { REQUEST } from './search.js';

export async function setup(collector) {
  const telemetry = await Telemetry.create({ endpoint: `${collector}/meili`, writeKey: 'bench', autoSend: false, storage: 'none' });
  return { track: () => telemetry.record(REQUEST), flush: () => telemetry.flush(), settleMs: 0 };
}

/** The embedding a host uses (the README's): synchronous, the engine loaded when the page is idle. */
export function embed(collector) {
  return createTelemetry({ endpoint: `${collector}/meili`, writeKey: 'bench', storage: 'none' });
}
