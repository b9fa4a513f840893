// The dashboard: connect to a Meilisearch instance (or use sample data), pick an index, search as
// you type — with the official `meilisearch` client, recorded by meili-telemetry through the
// instrumented fetch, without a single hand-written telemetry call. The privacy panel shows the
// consent state, the instance UID, deletion, losses, and the exact next batch.
import { Meilisearch } from 'meilisearch';
import { marked } from 'marked';
import whatWeCollect from '../what-we-collect.md?raw';
import { renderDocs } from './docs.js';
import { telemetry, observeMeilisearch } from './telemetry.js';
import { SAMPLE_HOST, sampleFetch } from './sample.js';
import { renderPrivacy } from './privacy.js';

const $ = (id) => document.getElementById(id);
let client = null;
let searchSeq = 0;

async function connect(host, apiKey, send) {
  observeMeilisearch(host, send);
  client = new Meilisearch({ host, apiKey: apiKey || undefined, clientAgents: ['Meilisearch mini-dashboard (v0.4.2)'] });
  $('connection').textContent = `Connecting to ${host}…`;
  try {
    await client.health();
    const { results } = await client.getIndexes();
    $('index').replaceChildren(...results.map((i) => new Option(i.uid, i.uid)));
    $('connection').textContent = `Connected to ${send === sampleFetch ? 'the sample responder' : host}: ${results.length} index(es).`;
    $('sample-offer').hidden = true;
    $('search-box').hidden = results.length === 0;
    return true;
  } catch (error) {
    $('connection').textContent = `Could not reach Meilisearch at ${host}: ${error.message}`;
    $('sample-offer').hidden = send === sampleFetch;
    $('search-box').hidden = true;
    return false;
  }
}

async function search() {
  if (!client) return;
  const seq = (searchSeq += 1);
  const q = $('query').value;
  try {
    const result = await client.index($('index').value).search(q, { limit: 10 });
    if (seq !== searchSeq) return;
    $('hits').replaceChildren(...result.hits.map((hit) => {
      const li = document.createElement('li');
      li.textContent = hit.title ?? JSON.stringify(hit);
      return li;
    }));
    $('search-stats').textContent = `${result.estimatedTotalHits ?? result.totalHits ?? result.hits.length} hits in ${result.processingTimeMs} ms`;
  } catch (error) {
    $('search-stats').textContent = `Search failed: ${error.message}`;
  }
}

async function main() {
  window.telemetry = telemetry; // for the end-to-end tests and the curious
  $('collect-page').innerHTML = marked.parse(whatWeCollect);
  $('docs-details').addEventListener('toggle', () => renderDocs($('docs')), { once: true });
  renderPrivacy(telemetry);

  $('connect').addEventListener('submit', (event) => {
    event.preventDefault();
    $('sample-banner').hidden = true;
    void connect($('host').value.trim(), $('api-key').value);
  });
  $('use-sample').addEventListener('click', async () => {
    $('sample-banner').hidden = false;
    await connect(SAMPLE_HOST, '', sampleFetch);
  });
  $('query').addEventListener('input', () => { void search(); });
  $('index').addEventListener('change', () => {
    telemetry.track('Dashboard Index Switched', { 'indexes.max_available': $('index').options.length });
    void search();
  });
  const sample = new URLSearchParams(location.search).has('sample');
  if (sample) {
    $('sample-banner').hidden = false;
    await connect(SAMPLE_HOST, '', sampleFetch);
  } else {
    await connect($('host').value, '');
  }
  window.dashboardReady = true;
}

main().catch((error) => { $('connection').textContent = `The dashboard failed to start: ${error.message}`; });
