// meili-telemetry: one observed search per call (aggregated in place), sent by an explicit flush.
import { Telemetry } from 'meili-telemetry';
import { REQUEST } from './search.js';

export async function setup(collector) {
  const telemetry = await Telemetry.create({ endpoint: `${collector}/meili`, writeKey: 'bench', autoSend: false, storage: 'none' });
  return { track: () => telemetry.record(REQUEST), flush: () => telemetry.flush(), settleMs: 0 };
}
