// Embedding meili-telemetry in a dashboard: the whole integration. This file is what the README
// shows a mini-dashboard maintainer, and what this dashboard itself runs.
import { Telemetry } from 'meili-telemetry';

const pageFetch = window.fetch.bind(window);

/** Creates the telemetry instance and records that the dashboard was opened. */
export async function setupTelemetry({ endpoint, writeKey, dashboardVersion, consent }) {
  const telemetry = await Telemetry.create({ endpoint, writeKey, consent });
  telemetry.recordOpened(dashboardVersion);
  return telemetry;
}

/**
 * Records every request the page makes to the Meilisearch instance at `host` — whichever client
 * makes it — and leaves every other request alone. `send` is what actually sends (the page's
 * `fetch`, or a stand-in such as the sample responder). Call it again when the host changes.
 */
export function observeMeilisearch(telemetry, host, send = pageFetch) {
  const origin = new URL(host).origin;
  const observed = telemetry.instrumentFetch(send, { host });
  window.fetch = (input, init) => {
    const url = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    return url.startsWith(origin) ? observed(input, init) : pageFetch(input, init);
  };
}
