// @segment/analytics-next: settings given inline (no CDN), batching delivery to the loopback collector.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { PROPERTIES } from './search.js';

export async function setup(collector) {
  const host = collector.replace(/^https?:\/\//, '');
  const [analytics] = await AnalyticsBrowser.load(
    {
      writeKey: 'bench',
      cdnSettings: {
        integrations: { 'Segment.io': { apiKey: 'bench', apiHost: `${host}/segment/v1`, protocol: 'http', deliveryStrategy: { strategy: 'batching', config: { size: 100, timeout: 500 } } } },
      },
    },
    { integrations: { 'Segment.io': { apiHost: `${host}/segment/v1`, protocol: 'http' } } },
  );
  return { track: () => { void analytics.track('Documents Searched POST', PROPERTIES); }, flush: async () => {}, settleMs: 6000 };
}
