// @amplitude/analytics-browser: no autocapture, fetch transport, unsent events kept in memory
// (as the PostHog and RudderStack adapters keep theirs), batches of 100 events or 500 ms (as the
// Segment and RudderStack adapters batch), flushed on demand. With its default storage Amplitude
// writes its whole queue to localStorage on every call, and with a 1,000-event queue that brought
// the tab down at 10,000 calls: these settings are the ones a team that batches would choose.
import * as amplitude from '@amplitude/analytics-browser';
import { PROPERTIES } from './search.js';

/** Amplitude's storage interface over a Map (what its own MemoryStorage does). */
function memoryStorage() {
  const entries = new Map();
  return {
    isEnabled: async () => true,
    get: async (key) => entries.get(key),
    getRaw: async (key) => (entries.has(key) ? JSON.stringify(entries.get(key)) : undefined),
    set: async (key, value) => { entries.set(key, value); },
    remove: async (key) => { entries.delete(key); },
    reset: async () => { entries.clear(); },
  };
}

export async function setup(collector) {
  await amplitude.init('bench-key', undefined, {
    serverUrl: `${collector}/amplitude/2/httpapi`, autocapture: false, flushQueueSize: 100, flushIntervalMillis: 500,
    transport: 'fetch', fetchRemoteConfig: false, identityStorage: 'none', storageProvider: memoryStorage(), logLevel: 0,
  }).promise;
  return { track: () => { amplitude.track('Documents Searched POST', PROPERTIES); }, flush: () => amplitude.flush().promise, settleMs: 6000 };
}
