// Bytes on the wire and requests for 100,000 recorded searches over one interval, side by side in
// the same run: meili-telemetry (aggregated: one summary per event and interval) and Segment's
// Node SDK (`@segment/analytics-node`, one event per search), both posting to the same loopback
// collector. Run: `npm run bench:wire` (after `npm run build`).
import { Analytics } from '@segment/analytics-node';
import { Telemetry } from 'meili-telemetry';
import { startCollector } from '../support/loopback-collector.mjs';

const SEARCHES = 100_000;
const collector = await startCollector();
const received = async (channel) => (await fetch(`${collector.url}/t/${channel}/received`)).json();
const searches = [
  { method: 'POST', path: '/indexes/movies/search', body: { q: 'star wars', limit: 20, facets: ['genre'] }, response: { status: 200, body: { processingTimeMs: 3 } } },
  { method: 'POST', path: '/indexes/movies/search', body: { q: 'alien', filter: 'year > 1979', sort: ['year:desc'] }, response: { status: 200, body: { processingTimeMs: 12 } } },
];

// meili-telemetry: record every search, send once.
const telemetry = await Telemetry.create({ endpoint: `${collector.url}/t/meili`, writeKey: 'bench', autoSend: false });
let started = performance.now();
for (let i = 0; i < SEARCHES; i += 1) telemetry.record(searches[i & 1]);
await telemetry.flush();
const meiliMs = performance.now() - started;

// Segment: one track per search, the properties a host would send for it.
const analytics = new Analytics({ writeKey: 'bench', host: collector.url, path: '/t/segment/v1/batch', flushInterval: 3_600_000, maxEventsInBatch: 100 });
started = performance.now();
for (let i = 0; i < SEARCHES; i += 1) {
  const s = searches[i & 1];
  analytics.track({
    anonymousId: 'bench-installation',
    event: 'Documents Searched POST',
    properties: { terms: s.body.q.split(' ').length, filtered: Boolean(s.body.filter), sorted: Boolean(s.body.sort), limit: s.body.limit ?? 20, processingTimeMs: s.response.body.processingTimeMs },
  });
}
await analytics.closeAndFlush({ timeout: 120_000 });
const segmentMs = performance.now() - started;

const summary = async (channel) => {
  const requests = await received(channel);
  return { requests: requests.length, bytes: requests.reduce((n, r) => n + Buffer.byteLength(r.body), 0) };
};
const meili = await summary('meili');
const segment = await summary('segment');
await collector.close();
console.log(JSON.stringify({
  searches: SEARCHES,
  meiliTelemetry: { ...meili, recordMs: Math.round(meiliMs) },
  segmentAnalyticsNode: { ...segment, trackMs: Math.round(segmentMs) },
  bytesRatio: Math.round(segment.bytes / meili.bytes),
  requestsRatio: segment.requests / meili.requests,
}, null, 2));
