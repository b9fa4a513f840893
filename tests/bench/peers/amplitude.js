// @amplitude/analytics-browser: no autocapture, fetch transport, events flushed on demand.
import * as amplitude from '@amplitude/analytics-browser';
import { PROPERTIES } from './search.js';

export async function setup(collector) {
  await amplitude.init('bench-key', undefined, {
    serverUrl: `${collector}/amplitude/2/httpapi`, autocapture: false, flushQueueSize: 1000, flushIntervalMillis: 60_000,
    transport: 'fetch', fetchRemoteConfig: false, identityStorage: 'none', logLevel: 0,
  }).promise;
  return { track: () => { amplitude.track('Documents Searched POST', PROPERTIES); }, flush: () => amplitude.flush().promise, settleMs: 1000 };
}
