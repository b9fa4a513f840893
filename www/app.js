// The local dashboard: embeds the built package exactly as a user's page would, records events
// from buttons, flushes on demand, and shows the counters and what the receiver got.
import { Telemetry } from '/pkg/index.js';
import { marked } from '/vendor/marked.js';

const $ = (id) => document.getElementById(id);
const SAMPLES = [
  ['Dump Created', undefined],
  ['Indexes Swapped', { swap_operation_number: 2, rename_used: true }],
  ['Tasks Canceled', { filtered_by_status: true }],
];

async function main() {
  const { writeKey } = await (await fetch('/v1/config')).json();
  const telemetry = await Telemetry.create({ endpoint: location.origin, writeKey });
  $('uid').textContent = telemetry.instanceUid;
  const refresh = async () => {
    $('stats').textContent = JSON.stringify(telemetry.stats(), null, 2);
    const { events } = await (await fetch('/v1/events?limit=1000')).json();
    $('received').textContent = events.length ? JSON.stringify(events.slice(-5), null, 2) : 'nothing yet';
  };
  for (const [event, properties] of SAMPLES) {
    const button = document.createElement('button');
    button.textContent = event;
    button.onclick = () => {
      const error = telemetry.track(event, properties);
      $('status').textContent = error ? `rejected: ${error.message}` : `recorded ${event}`;
      refresh();
    };
    $('buttons').append(button);
  }
  $('flush').onclick = async () => {
    const result = await telemetry.flush();
    $('status').textContent = `flush: ${JSON.stringify(result)}`;
    refresh();
  };
  refresh();
}

/** Renders the generated "What we collect" page (our own file, generated from the catalog). */
async function showWhatWeCollect() {
  const markdown = await (await fetch('./what-we-collect.md')).text();
  $('collect-page').innerHTML = marked.parse(markdown);
}

main().catch((error) => { $('status').textContent = String(error); });
showWhatWeCollect().catch((error) => { $('collect-page').textContent = `could not load: ${error}`; });
