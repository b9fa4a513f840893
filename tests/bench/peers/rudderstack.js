// @rudderstack/analytics-js, its `bundled` export (the plugins in the bundle, none fetched from a
// CDN): source configuration given inline (no control plane), the XhrQueue plugin batching like
// the Segment adapter (100 events or 500 ms) to the loopback collector, in-memory storage.
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';
import { PROPERTIES } from './search.js';

export async function setup(collector) {
  const analytics = new RudderAnalytics();
  await new Promise((resolve) => {
    analytics.load('bench', `${collector}/rudderstack`, {
      getSourceConfig: () => ({ source: { id: 'bench', name: 'bench', workspaceId: 'bench', enabled: true, config: {}, destinations: [] } }),
      plugins: ['XhrQueue'],
      queueOptions: { batch: { enabled: true, maxItems: 100, maxSize: 500 * 1024, flushInterval: 500 } },
      storage: { type: 'memoryStorage' },
      polyfillIfRequired: false,
      logLevel: 'ERROR',
      onLoaded: () => resolve(),
    });
  });
  return { track: () => { analytics.track('Documents Searched POST', PROPERTIES); }, flush: async () => {}, settleMs: 6000 };
}
