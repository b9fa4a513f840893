// `record()` and `instrumentFetch()` of the built package in Node, against the loopback server
// answering like Meilisearch (tests/support/meilisearch-fixtures.mjs): the JS layer's
// serialization, its refusal of unserializable input, and the wrapper's transparency.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Telemetry } from 'meili-telemetry';
import { startCollector } from '../support/loopback-collector.mjs';

let server;
before(async () => { server = await startCollector(); });
after(async () => { await server?.close(); });

const batchOf = async (endpoint) => JSON.parse((await (await fetch(`${endpoint}/received`)).json())[0].body);

test('record() derives the server event from a raw request, and refuses what cannot be serialized', async () => {
  const endpoint = `${server.url}/t/node-record`;
  const telemetry = await Telemetry.create({ endpoint, writeKey: 'k' });
  const search = { method: 'POST', path: '/indexes/movies/search', body: { q: 'a b c', filter: 'x = 1 AND y = 2' }, response: { status: 200, body: { processingTimeMs: 6 } } };
  assert.equal(telemetry.record(search), undefined);
  assert.equal(telemetry.record({ method: 'GET', path: '/health', response: { status: 200, body: { status: 'available' } } }), undefined);
  const cyclic = { path: '/indexes/m/search' };
  cyclic.body = cyclic;
  assert.equal(telemetry.record(cyclic)?.kind, 'malformed_input');
  assert.equal(telemetry.record({ path: '/x', body: { n: 1n } })?.kind, 'malformed_input');
  assert.equal(telemetry.record({ method: 'POST' })?.kind, 'malformed_input', 'a path is required');
  const throwing = { path: '/indexes/m/search', get body() { throw new Error('boom'); } };
  assert.equal(telemetry.record(throwing)?.kind, 'malformed_input');
  const stats = telemetry.stats();
  assert.equal(stats.recorded, 1);
  assert.equal(stats.ignoredRequests, 1);
  assert.equal(stats.rejected.malformed_input, 4);

  assert.equal((await telemetry.flush()).delivered, 1);
  const [message] = (await batchOf(endpoint)).batch;
  assert.equal(message.event, 'Documents Searched POST');
  assert.equal(message.properties.q.max_terms_number, 3);
  assert.equal(message.properties.filter.avg_criteria_number, '2.00');
  assert.equal(message.properties.requests['99th_response_time'], '6');
});

test('record() serializes only the response fields the core reads: a page of hits costs nothing and is never read', async () => {
  const withHits = await Telemetry.create({ endpoint: `${server.url}/t/node-hits`, writeKey: 'k', autoSend: false });
  const without = await Telemetry.create({ endpoint: `${server.url}/t/node-no-hits`, writeKey: 'k', autoSend: false, storage: 'none' });
  const request = (body) => ({ method: 'POST', path: '/indexes/movies/search', body: { q: 'star wars', limit: 20 }, response: { status: 200, body } });
  // Five megabytes of documents (over the 4 MB a serialized request may take), and a field whose
  // getter throws: neither may stand in the way, since neither is read.
  const hits = Array.from({ length: 50 }, (_, i) => ({ id: i, overview: 'x'.repeat(100_000) }));
  const page = { hits, processingTimeMs: 7, degraded: true, estimatedTotalHits: 50 };
  Object.defineProperty(page, 'facetDistribution', { enumerable: true, get() { throw new Error('read'); } });
  assert.equal(withHits.record(request(page)), undefined);
  assert.equal(without.record(request({ processingTimeMs: 7, degraded: true })), undefined);
  const bodies = [withHits, without].map((t) => JSON.stringify(t.pending().batch.map((m) => m.properties)));
  assert.equal(bodies[0], bodies[1]);
  const [message] = withHits.pending().batch;
  assert.equal(message.properties.requests.total_degraded, 1);
  assert.equal(message.properties.requests['99th_response_time'], '7');
  assert.ok(!JSON.stringify(withHits.pending()).includes('overview'));
  // The experimental features' state comes from the response, and survives the cut.
  withHits.record({ method: 'PATCH', path: '/experimental-features', body: { metrics: true }, response: { status: 200, body: { metrics: true, containsFilter: true, unrelated: 'x' } } });
  const features = withHits.pending().batch.find((m) => m.event === 'Experimental features Updated');
  assert.equal(features.properties.contains_filter, true);
  withHits.close();
  without.close();
});

test('record() takes requests of any length and any characters, and long ones leave no memory behind', async () => {
  const telemetry = await Telemetry.create({ endpoint: `${server.url}/t/node-long`, writeKey: 'k', autoSend: false, storage: 'none' });
  const search = (q, filter) => ({ method: 'POST', path: '/indexes/movies/search', body: { q, filter }, response: { status: 200, body: { processingTimeMs: 1 } } });
  // Two, three and four bytes per character in UTF-8.
  assert.equal(telemetry.record(search('café 日本 😀 -x', null)), undefined);
  // A lone surrogate, which JSON.stringify escapes as `\ud800`: not text, as the server's JSON
  // reader refuses it too.
  assert.equal(telemetry.record(search('\ud800', null))?.kind, 'malformed_input');
  const memoryBefore = telemetry.stats().moduleMemoryBytes;
  // Growing to 2 MB of text, then small again.
  for (const criteria of [2_000, 20_000, 200_000, 3]) {
    const filter = Array.from({ length: criteria }, (_, i) => `f${i} = 1`).join(' AND ');
    assert.equal(telemetry.record(search('a', filter)), undefined, `${criteria} criteria`);
  }
  for (let i = 0; i < 50; i += 1) telemetry.record(search('a', Array(200_000).fill('x = é').join(' AND ')));
  const repeated = telemetry.stats().moduleMemoryBytes - memoryBefore;
  assert.ok(repeated < 16 << 20, `the module grew by ${repeated} B over 50 requests of 2 MB of text`);
  const memoryBeforeGrowing = telemetry.stats().moduleMemoryBytes;
  // Requests growing towards the 4 MB limit, then shrinking and growing again: the allocator
  // must reuse what the earlier ones freed (an allocator that did not grew the module to 42 MB).
  for (const criteria of [50_000, 100_000, 150_000, 200_000, 250_000, 300_000, 350_000, 100_000, 350_000]) {
    assert.equal(telemetry.record(search('a', Array(criteria).fill('x = é').join(' AND '))), undefined);
  }
  const grown = telemetry.stats().moduleMemoryBytes - memoryBeforeGrowing;
  assert.ok(grown < 16 << 20, `the module grew by ${grown} B more over requests growing to 3.5 MB of text`);
  const stats = telemetry.stats();
  assert.equal(stats.recorded, 64);
  assert.equal(stats.rejected.malformed_input, 1);
  const [message] = telemetry.pending().batch;
  assert.equal(message.properties.q.max_terms_number, 4);
  assert.equal(message.properties.requests.total_used_negative_operator, 1);
  // 2,000 + 20,000 + 200,000 + 3 + 50 × 200,000 + 1,850,000 criteria over 63 filtered requests.
  assert.equal(message.properties.filter.avg_criteria_number, (12_072_003 / 63).toFixed(2));
});

test('instrumentFetch() returns exactly what fetch returns and records afterwards', async () => {
  const endpoint = `${server.url}/t/node-instrument`;
  const telemetry = await Telemetry.create({ endpoint, writeKey: 'k' });
  const host = `${server.url}/meili`;
  const wrapped = telemetry.instrumentFetch(fetch, { host });
  const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ q: 'avengers' }) };
  const response = await wrapped(`${host}/indexes/movies/search`, init);
  assert.equal(response.status, 200);
  assert.equal((await response.json()).processingTimeMs, 4, 'the caller can still read the body');
  const missing = await wrapped(`${host}/indexes/missing/search`, init);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).code, 'index_not_found');
  await assert.rejects(wrapped(`${host}/dumps`, { method: 'POST' }), TypeError);
  await assert.rejects(wrapped(`${host}/stats`, { signal: AbortSignal.timeout(100) }), { name: 'TimeoutError' });
  for (let i = 0; i < 100 && telemetry.stats().recorded < 4; i += 1) await new Promise((r) => setTimeout(r, 20));
  assert.equal(telemetry.stats().recorded, 4);
  assert.throws(() => telemetry.instrumentFetch('not a function'), /instrumentFetch needs a fetch function/);

  await telemetry.flush();
  const { batch } = await batchOf(endpoint);
  const errors = batch.find((m) => m.event === 'Dashboard Errors').properties.errors;
  assert.deepEqual(
    { not_found: errors.not_found, network: errors.network, timeout: errors.timeout },
    { not_found: 1, network: 1, timeout: 1 },
  );
  assert.equal(batch.find((m) => m.event === 'Documents Searched POST').properties.requests.total_received, 2);
  assert.equal(batch.find((m) => m.event === 'Dump Created').properties.requests.total_received, 1);
});

test('instrumentFetch() reads no more of a response than it needs: event streams are not read, large bodies are let go', async () => {
  const endpoint = `${server.url}/t/node-instrument-bounded`;
  const telemetry = await Telemetry.create({ endpoint, writeKey: 'k' });
  const host = 'http://meili.test';
  const json = { 'Content-Type': 'application/json' };
  let pulls = 0;
  let clones = 0;
  const answers = {
    // A streamed chat completion: server-sent events, still open while the test runs.
    '/chats/main/chat/completions': () => new Response(
      new ReadableStream({ start(controller) { controller.enqueue(new TextEncoder().encode('data: {"choices":[]}\n\n')); } }),
      { status: 200, headers: { 'Content-Type': 'text/event-stream' } },
    ),
    // 8 MiB of documents of unknown length (chunked), which the page does not read.
    '/indexes/movies/documents': () => new Response(
      new ReadableStream({
        pull(controller) {
          pulls += 1;
          if (pulls > 128) controller.close();
          else controller.enqueue(new Uint8Array(64 << 10).fill(0x20));
        },
      }, { highWaterMark: 0 }),
      { status: 200, headers: json },
    ),
    // A short body of unknown length, in chunks that split a character: read whole.
    '/indexes/books/search': () => {
      const bytes = new TextEncoder().encode('{"query":"caf\u00e9","processingTimeMs":7}');
      const at = bytes.indexOf(0xc3) + 1; // between the two bytes of "é"
      return new Response(
        new ReadableStream({ start(controller) { controller.enqueue(bytes.slice(0, at)); controller.enqueue(bytes.slice(at)); controller.close(); } }),
        { status: 200, headers: json },
      );
    },
    // 2 MiB that says its length: not even cloned.
    '/indexes/movies/search': () => {
      const text = `{"processingTimeMs":4,"hits":"${'x'.repeat(2 << 20)}"}`;
      const response = new Response(text, { status: 200, headers: { ...json, 'Content-Length': String(text.length) } });
      response.clone = () => { clones += 1; return Response.prototype.clone.call(response); };
      return response;
    },
  };
  const wrapped = telemetry.instrumentFetch(async (url) => answers[new URL(url).pathname](), { host });
  const post = (body) => ({ method: 'POST', headers: json, body: JSON.stringify(body) });

  const chat = await wrapped(`${host}/chats/main/chat/completions`, post({ stream: true, messages: [{ role: 'user', content: 'hi' }] }));
  const documents = await wrapped(`${host}/indexes/movies/documents?limit=1000`);
  const search = await wrapped(`${host}/indexes/movies/search`, post({ q: 'x' }));
  const chunked = await wrapped(`${host}/indexes/books/search?q=caf%C3%A9`);
  for (let i = 0; i < 200 && telemetry.stats().recorded < 4; i += 1) await new Promise((r) => setTimeout(r, 10));
  assert.equal(telemetry.stats().recorded, 4, 'each is recorded without waiting for its body to end');
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(pulls <= 20, `the unread 8 MiB body was pulled ${pulls} times; the limit is 1 MiB in 64 KiB chunks`);
  assert.equal(clones, 0, 'a body longer than the limit is not cloned');

  // The caller still gets every body whole.
  const event = await chat.body.getReader().read();
  assert.match(new TextDecoder().decode(event.value), /^data: /);
  assert.equal((await documents.arrayBuffer()).byteLength, 128 * (64 << 10));
  assert.equal((await search.json()).processingTimeMs, 4);
  assert.equal((await chunked.json()).query, 'caf\u00e9');

  await telemetry.flush();
  const { batch } = await batchOf(endpoint);
  const events = Object.fromEntries(batch.map((m) => [m.event, m.properties]));
  assert.equal(events['Dashboard Errors'], undefined, 'an event stream is not an invalid response');
  assert.equal(events['Chat Completion POST'].total_streamed_requests, 1);
  assert.equal(events['Documents Fetched GET'].requests.total_received, 1);
  assert.equal(events['Documents Searched POST'].requests['99th_response_time'], null, 'a body over the limit is not read');
  assert.equal(events['Documents Searched GET'].requests['99th_response_time'], '7', 'a chunked body under the limit is read');
});
