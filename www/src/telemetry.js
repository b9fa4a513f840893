// The dashboard's telemetry: the README's embedding, exactly (between the markers; a test checks
// that the two are the same text), plus how this dashboard follows a change of Meilisearch
// address. Nothing here waits for the engine: the page renders whether or not it ever loads.
import { createTelemetry } from 'meili-telemetry';

const pageFetch = window.fetch.bind(window);

// The collector that serves this page tells it its write key (`--expose-write-key`).
const TELEMETRY_ENDPOINT = location.origin;
const TELEMETRY_WRITE_KEY = document.querySelector('meta[name=meili-telemetry-write-key]')?.content ?? 'local-dev-key';
const DASHBOARD_VERSION = '0.1.0';
const MEILISEARCH_HOST = 'http://127.0.0.1:7700';

// meili-telemetry: begin
// Returns at once: the engine loads when the page is idle, and nothing it does can stop the page.
const telemetry = createTelemetry({
  endpoint: TELEMETRY_ENDPOINT, // the collector: batches go to <endpoint>/v1/batch
  writeKey: TELEMETRY_WRITE_KEY,
  flushIntervalMs: 3_600_000,
})
telemetry.recordOpened(DASHBOARD_VERSION)
window.fetch = telemetry.instrumentFetch(window.fetch.bind(window), { host: MEILISEARCH_HOST })
// meili-telemetry: end

export { telemetry, MEILISEARCH_HOST };

/**
 * Records every request the page makes to the Meilisearch instance at `host` — whichever client
 * makes it — and leaves every other request alone. `send` is what actually sends (the page's
 * `fetch`, or a stand-in such as the sample responder). Call it again when the host changes.
 */
export function observeMeilisearch(host, send = pageFetch) {
  const origin = new URL(host).origin;
  const observed = telemetry.instrumentFetch(send, { host });
  window.fetch = (input, init) => {
    const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    return url.startsWith(origin) ? observed(input, init) : pageFetch(input, init);
  };
}
