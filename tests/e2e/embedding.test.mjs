// Embedding that never hurts the host, in Chromium over real loopback HTTP: a host page built on
// `createTelemetry` renders and answers its own searches while the engine's `.wasm` is held back,
// and the early searches arrive at the collector exactly once when it is released; a `.wasm` that
// is missing, hangs, is truncated or is refused by the page's Content-Security-Policy (or an
// engine chunk that is missing) changes nothing for the host — no page error, at most one
// warning, every request passed through, and not one request to the collector; calls past the
// bound are counted and the rest replayed in order; uploads carry no Referer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector } from '../support/loopback-collector.mjs';
import { launch, eventually, collectorChannels } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

// The host: an error and warning recorder, then a module that creates telemetry synchronously,
// wraps fetch, renders, and searches three times — as the README's embedding does.
const CAPTURE = `window.__errors = [];
window.__warnings = [];
addEventListener('error', (e) => __errors.push(String(e.message)));
addEventListener('unhandledrejection', (e) => __errors.push(String(e.reason)));
const warn = console.warn.bind(console);
console.warn = (...args) => { __warnings.push(args.join(' ')); warn(...args); };`;
const HOST = `import { createTelemetry } from './pkg/index.js';
const params = new URLSearchParams(location.search);
const meili = params.get('meili');
const telemetry = createTelemetry({
  endpoint: params.get('endpoint'), writeKey: 'k', flushIntervalMs: 3_600_000,
  loadTimeoutMs: Number(params.get('loadTimeoutMs') ?? 30_000),
});
window.telemetry = telemetry;
window.fetch = telemetry.instrumentFetch(window.fetch.bind(window), { host: meili });
document.getElementById('app').textContent = 'rendered';
window.search = async (q) => {
  const response = await fetch(meili + '/indexes/movies/search', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ q }) });
  return (await response.json()).processingTimeMs;
};
window.answers = [];
for (const q of ['star', 'wars', 'trek']) window.answers.push(await window.search(q));
window.__hostDone = true;`;
const PAGE = `<!doctype html><meta charset="utf-8"><title>host</title>
<script src="./capture.js"></script><div id="app">not rendered</div><script type="module" src="./host.js"></script>`;

/** The host's site. `/s/<mode>/…`: the page, its scripts and the package, with the engine's
 * files answered as `mode` says: `ok`, `hold` (until the function `hold()` returned is called),
 * `404`, `hang`, `truncated`, `wrongmime`, `csp` (the page refuses WebAssembly), `noengine`
 * (engine.js is missing). */
async function startSite() {
  let held = Promise.resolve();
  const sockets = new Set();
  const server = http.createServer(async (req, res) => {
    const [, mode, rest] = /^\/s\/([a-z0-9]+)\/([^?]*)/.exec(req.url) ?? [];
    const send = (status, type, body, extra = {}) => { res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra }); res.end(body); };
    if (rest === 'host.html') {
      const csp = mode === 'csp' ? { 'Content-Security-Policy': "script-src 'self'" } : {};
      return send(200, 'text/html', PAGE, csp);
    }
    if (rest === 'capture.js') return send(200, 'text/javascript', CAPTURE);
    if (rest === 'host.js') return send(200, 'text/javascript', HOST);
    if (!rest?.startsWith('pkg/')) return send(404, 'text/plain', '');
    const file = path.join(root, path.normalize(rest));
    if (rest === 'pkg/engine.js' && mode === 'noengine') return send(404, 'text/plain', '');
    if (rest === 'pkg/meili_telemetry_bg.wasm') {
      if (mode === '404') return send(404, 'text/plain', 'gone after a deploy');
      if (mode === 'hang') return undefined; // never answered; the socket is closed with the site
      const bytes = await readFile(file);
      if (mode === 'hold') await held;
      if (mode === 'truncated') return send(200, 'application/wasm', bytes.subarray(0, bytes.length >> 1));
      return send(200, mode === 'wrongmime' ? 'application/octet-stream' : 'application/wasm', bytes);
    }
    try {
      return send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', await readFile(file));
    } catch {
      return send(404, 'text/plain', '');
    }
  });
  server.on('connection', (socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    hold: () => {
      let release;
      held = new Promise((resolve) => { release = resolve; });
      return release;
    },
    close: () => new Promise((done) => { sockets.forEach((s) => s.destroy()); server.close(done); }),
  };
}

let collector;
let site;
let browser;
before(async () => {
  collector = await startCollector();
  site = await startSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await collector?.close();
});

const { channel, received } = collectorChannels(() => collector);

/** Opens the host page of `mode` (query: extra parameters) and waits for its searches. */
async function openHost(mode, endpoint, query = '') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const params = `endpoint=${encodeURIComponent(endpoint)}&meili=${encodeURIComponent(`${collector.url}/meili`)}${query}`;
  await page.goto(`${site.url}/s/${mode}/host.html?${params}`);
  await page.waitForFunction(() => window.__hostDone === true, null, { timeout: 15_000 });
  return { context, page };
}

/** Every message the collector accepted on `endpoint`. */
async function messages(endpoint) {
  return (await received(endpoint)).filter((r) => r.status === 200).flatMap((r) => JSON.parse(r.body).batch);
}

test('the host renders and searches before the engine arrives; the early searches arrive once', async () => {
  const endpoint = channel('held');
  const release = site.hold();
  const { context, page } = await openHost('hold', endpoint);
  assert.equal(await page.textContent('#app'), 'rendered');
  assert.deepEqual(await page.evaluate(() => window.answers), [4, 4, 4], 'the host got its answers');
  assert.equal(await page.evaluate(() => window.telemetry.status), 'loading', 'the .wasm is still held');
  assert.equal((await page.evaluate(() => window.telemetry.stats().beforeReady)).buffered, 3);
  release();
  assert.deepEqual(await page.evaluate(() => window.telemetry.ready), { loaded: true });
  assert.equal(await page.evaluate(() => window.telemetry.status), 'ready');
  const flushed = await page.evaluate(() => window.telemetry.flush());
  assert.equal(flushed.error, null, JSON.stringify(flushed));
  const searched = (await messages(endpoint)).filter((m) => m.event === 'Documents Searched POST');
  assert.equal(searched.length, 1, 'one aggregate');
  assert.equal(searched[0].properties.requests.total_received, 3, 'each early search exactly once');
  const stats = await page.evaluate(() => window.telemetry.stats());
  assert.deepEqual(stats.beforeReady, { buffered: 0, replayed: 3, overflowed: 0, dropped: 0 });
  assert.deepEqual(await page.evaluate(() => [window.__errors, window.__warnings]), [[], []]);
  await context.close();
});

for (const [mode, query, why] of [
  ['404', '', /HTTP 404/],
  ['hang', '&loadTimeoutMs=1500', /no engine after 1500 ms/],
  ['truncated', '', /could not be loaded/],
  ['csp', '', /could not be loaded/],
  ['noengine', '', /could not be loaded|engine\.js|dynamically imported/],
]) {
  test(`an engine that cannot load (${mode}) changes nothing for the host and sends nothing`, async () => {
    const endpoint = channel(`fail-${mode}`);
    const { context, page } = await openHost(mode, endpoint, query);
    assert.equal(await page.textContent('#app'), 'rendered');
    assert.deepEqual(await page.evaluate(() => window.answers), [4, 4, 4]);
    const ready = await page.evaluate(async () => {
      const { loaded, error } = await window.telemetry.ready;
      return { loaded, message: error?.message };
    });
    assert.equal(ready.loaded, false);
    assert.match(ready.message, why);
    // After the failure: requests pass through unseen, every method answers its shape.
    assert.equal(await page.evaluate(() => window.search('after')), 4);
    const after = await page.evaluate(async () => {
      const t = window.telemetry;
      return {
        status: t.status, consent: t.consent, pending: t.pending(), uid: t.instanceUid, next: t.nextSendInMs,
        track: t.track('Dump Created'), flush: await t.flush(), deletion: await t.requestDeletion(),
        stats: t.stats(), optOut: t.optOut(),
      };
    });
    assert.equal(after.status, 'failed');
    assert.deepEqual([after.consent.enabled, after.consent.reason], [false, 'failed']);
    assert.deepEqual([after.pending, after.uid, after.next], [{ batch: [] }, '', null]);
    assert.equal(after.track.kind, 'internal');
    assert.equal(after.flush.delivered, 0);
    assert.equal(after.deletion.status, null);
    assert.equal(after.stats.lost.blocked, 0, 'stats keeps its shape');
    // The track after the failure, and each search seen before it (all three when the engine
    // fails late; fewer when it fails before the host's searches are answered).
    const { dropped, ...rest } = after.stats.beforeReady;
    assert.deepEqual(rest, { buffered: 0, replayed: 0, overflowed: 0 });
    assert.ok(dropped >= 1 && dropped <= 4, `${dropped} dropped`);
    assert.equal(after.optOut.enabled, false);
    const [errors, warnings] = await page.evaluate(() => [window.__errors, window.__warnings]);
    assert.deepEqual(errors, [], 'no page error, no unhandled rejection');
    assert.ok(warnings.length <= 1, `at most one warning: ${JSON.stringify(warnings)}`);
    await page.waitForTimeout(300);
    assert.deepEqual(await received(endpoint), [], 'not one request to the collector');
    await context.close();
  });
}

test('a .wasm served with the wrong MIME type still loads, without a warning', async () => {
  const endpoint = channel('mime');
  const { context, page } = await openHost('wrongmime', endpoint);
  assert.deepEqual(await page.evaluate(() => window.telemetry.ready), { loaded: true });
  assert.deepEqual(await page.evaluate(() => window.__warnings), []);
  await context.close();
});

test('calls past the bound are counted; the kept ones are replayed in order', async () => {
  const endpoint = channel('overflow');
  const release = site.hold();
  const { context, page } = await openHost('hold', endpoint);
  const before = await page.evaluate(() => {
    const t = window.telemetry;
    t.track('Snapshot Created'); // erased by the opt-out that follows: replayed in order
    t.optOut();
    t.track('Snapshot Created'); // discarded: collection is off
    t.optIn();
    for (let i = 0; i < 994; i += 1) t.track('Dump Created'); // 3 searches + 4 calls + 993 = 1000 kept
    for (let i = 0; i < 5; i += 1) t.track('Tasks Canceled', { filtered_by_uid: true }); // past the bound
    return t.stats().beforeReady;
  });
  assert.deepEqual(before, { buffered: 1000, replayed: 0, overflowed: 6, dropped: 0 });
  release();
  assert.deepEqual(await page.evaluate(() => window.telemetry.ready), { loaded: true });
  await page.evaluate(() => window.telemetry.flush());
  const byEvent = Object.fromEntries((await messages(endpoint)).map((m) => [m.event, m.properties.requests.total_received]));
  assert.deepEqual(byEvent, { 'Dump Created': 993 }, 'the searches and the snapshot before the opt-out were erased, the overflow never kept');
  assert.deepEqual(await page.evaluate(() => window.telemetry.stats().beforeReady), { buffered: 0, replayed: 1000, overflowed: 6, dropped: 0 });
  await context.close();
});

test('uploads and deletion requests carry no Referer, even from a page whose URL has a key', async () => {
  const endpoint = channel('referrer');
  const { context, page } = await openHost('ok', endpoint, '&api_key=masterKey-123');
  await page.evaluate(() => window.telemetry.ready);
  await page.evaluate(() => window.telemetry.flush());
  await page.evaluate(() => window.telemetry.requestDeletion());
  const requests = await received(endpoint);
  assert.deepEqual(requests.map((r) => r.path.split('/').pop()), ['batch', 'deletion']);
  for (const request of requests) assert.equal(request.headers.referer, null, `${request.path} carried a Referer`);
  await context.close();
});
