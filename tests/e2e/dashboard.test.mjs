// The dashboard (www/, built by Vite) end to end in Chromium, with the real collector binary and
// its real database, and Meilisearch answered by route interception from recorded responses:
// typed searches arrive aggregated and nothing typed arrives; opting out (or GPC/DNT) means no
// request to the collector and no stored state; reloads and close/reopen lose and duplicate
// nothing; a collector outage loses nothing. The run saves the README's screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, eventually, READ, buildCollector, startRealCollector } from './harness.mjs';


const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const output = path.join(root, 'tests/output');
const MEILI = 'http://127.0.0.1:7700';
let browser;
let collector;
let port;
let dir;

/** The real collector on `on`, its database in this run's directory (resolves once it answers). */
const startCollector = (on = port, extra = []) => startRealCollector({ port: on, db: path.join(dir, `db-${on}.sqlite`), extra });
const base = (on = port) => `http://127.0.0.1:${on}`;
async function events(event) {
  const { events: rows } = await (await fetch(`${base()}/v1/events?limit=1000${event ? `&event=${encodeURIComponent(event)}` : ''}`, READ)).json();
  return rows;
}
const searched = async () => (await events('Documents Searched POST')).reduce((n, e) => n + e.properties.requests.total_received, 0);

before(async () => {
  buildCollector();
  mkdirSync(output, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'meili-dashboard-e2e-'));
  port = 19000 + Math.floor(Math.random() * 900);
  collector = await startCollector();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  collector?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A context whose Meilisearch is answered from recorded responses; counts searches. */
async function context(init) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (init) await ctx.addInitScript(init);
  ctx.searches = 0;
  await ctx.route(`${MEILI}/**`, async (route) => {
    const request = route.request();
    const { pathname } = new URL(request.url());
    const json = (status, body) => route.fulfill({ status, contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': '*' }, body: JSON.stringify(body) });
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': '*' } });
    if (pathname === '/health') return json(200, { status: 'available' });
    if (pathname === '/indexes') return json(200, { results: [{ uid: 'movies', primaryKey: 'id' }], offset: 0, limit: 20, total: 1 });
    if (pathname === '/indexes/movies/search') {
      ctx.searches += 1;
      const body = JSON.parse(request.postData() ?? '{}');
      return json(200, { hits: [{ id: 1, title: 'Star Wars' }], query: body.q, processingTimeMs: 4, limit: body.limit ?? 20, offset: 0, estimatedTotalHits: 1 });
    }
    return json(404, { message: 'not recorded', code: 'not_found' });
  });
  return ctx;
}

/** Opens the dashboard served by the collector on `on`, and waits for it and for its engine. */
async function open(ctx, on = port) {
  const page = await ctx.newPage();
  page.collectorRequests = [];
  page.on('request', (r) => { if (r.url().startsWith(`${base(on)}/v1/batch`)) page.collectorRequests.push(r.url()); });
  await page.goto(`${base(on)}/`);
  await page.waitForFunction(() => window.dashboardReady === true, null, { timeout: 20_000 });
  assert.deepEqual(await page.evaluate(() => window.telemetry.ready), { loaded: true });
  return page;
}

const sendNow = (page) => page.evaluate(() => window.telemetry.flush());

test('typed searches arrive aggregated, and nothing typed arrives', async () => {
  const ctx = await context();
  const page = await open(ctx);
  const before = await searched();
  await page.locator('#query').pressSequentially('star wars trek', { delay: 30 });
  await eventually(async () => (await page.textContent('#search-stats')).includes('hits'));
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(output, 'dashboard.png') });
  await page.locator('#privacy').screenshot({ path: path.join(output, 'privacy.png') });
  await sendNow(page);
  const typed = ctx.searches;
  assert.ok(typed >= 10, `${typed} searches`);
  assert.ok(await eventually(async () => (await searched()) - before === typed), `${(await searched()) - before} of ${typed}`);
  const [event] = (await events('Documents Searched POST')).slice(-1);
  assert.equal(event.properties.q.max_terms_number, 3);
  assert.equal(event.properties.pagination.max_limit, 10);
  assert.equal(event.properties.requests['99th_response_time'], '4');
  assert.ok(event.properties['user-agent'].includes('Meilisearch JavaScript (v0.57.0)'), JSON.stringify(event.properties['user-agent']));
  const everything = JSON.stringify(await events());
  for (const secret of ['star', 'wars', 'trek', 'movies', '7700']) assert.ok(!everything.includes(secret), `${secret} reached the collector`);
  await ctx.close();
});

test('the reference documents are served and rendered beside What we collect', async () => {
  const docs = readdirSync(path.join(root, 'www/docs')).filter((f) => f.endsWith('.md')).sort();
  assert.ok(docs.length >= 8, docs.join(', '));
  const ctx = await context();
  const page = await open(ctx);
  await page.evaluate(() => { document.getElementById('docs-details').open = true; });
  await page.waitForFunction(() => document.querySelectorAll('#docs details.doc').length > 0);
  const titles = await page.evaluate(() => [...document.querySelectorAll('#docs details.doc > summary')].map((s) => s.textContent));
  assert.deepEqual(titles, docs.map((f) => /^# (.+)$/m.exec(readFileSync(path.join(root, 'www/docs', f), 'utf8'))[1]));
  // A link from one document to another opens it in place.
  await page.evaluate(() => { document.getElementById('doc-testing').open = true; });
  await page.locator('#doc-testing a[href="collector.md"]').first().click();
  assert.equal(await page.evaluate(() => document.getElementById('doc-collector').open), true);
  const served = await fetch(`${base(port)}/docs/delivery.md`);
  assert.equal(served.status, 200);
  assert.match(await served.text(), /^# Delivery/);
  await ctx.close();
});

test('opting out in the panel: no request to the collector from then on, stored state gone', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.uncheck('#collect');
  assert.match(await page.textContent('#consent-reason'), /you turned it off/);
  const requestsBefore = page.collectorRequests.length;
  await page.fill('#query', 'dune');
  await page.fill('#query', 'alien');
  await sendNow(page);
  await page.waitForTimeout(1500);
  assert.equal(page.collectorRequests.length, requestsBefore, 'no request after opting out');
  const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('meili-telemetry')));
  assert.deepEqual(keys, ['meili-telemetry.consent']);
  await ctx.close();
});

for (const [signal, init] of [
  ['GPC', () => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true })],
  ['DNT', () => Object.defineProperty(navigator, 'doNotTrack', { value: '1' })],
]) {
  test(`${signal} in the browser: nothing is sent`, async () => {
    const ctx = await context(init);
    const page = await open(ctx);
    await page.fill('#query', 'heat');
    await sendNow(page);
    await page.waitForTimeout(1000);
    assert.equal(page.collectorRequests.length, 0);
    assert.match(await page.textContent('#consent-reason'), signal === 'GPC' ? /Global Privacy Control/ : /Do Not Track/);
    await ctx.close();
  });
}

test('served by `meili-collector --no-analytics`: the dashboard sends nothing, and the panel says why', async () => {
  const quiet = port + 1000;
  const child = await startCollector(quiet, ['--no-analytics']);
  try {
    const html = await (await fetch(`${base(quiet)}/`)).text();
    assert.match(html, /<meta name="meili-telemetry-consent" content="off">/);
    const ctx = await context();
    const page = await open(ctx, quiet);
    assert.deepEqual(await page.evaluate(() => [window.telemetry.status, window.telemetry.consent.reason]), ['off', 'server_reports_disabled']);
    await page.fill('#query', 'dune');
    await page.fill('#query', 'alien');
    await page.evaluate(() => window.telemetry.flush());
    await page.waitForTimeout(1000);
    assert.equal(page.collectorRequests.length, 0, 'not one request to /v1/batch');
    assert.match(await page.textContent('#consent-reason'), /server runs with analytics disabled/);
    const { events: stored } = await (await fetch(`${base(quiet)}/v1/events?limit=10`, READ)).json();
    assert.deepEqual(stored, []);
    await ctx.close();
  } finally {
    child.kill('SIGKILL');
  }
});

test('a reload and a close/reopen lose nothing and duplicate nothing', async () => {
  const ctx = await context();
  const before = await searched();
  let page = await open(ctx);
  // Each search is recorded when its response has been read; wait for that before leaving.
  const searchesRecorded = async () => {
    const start = await page.evaluate(() => window.telemetry.stats().recorded);
    return (count) => page.waitForFunction(([s, c]) => window.telemetry.stats().recorded >= s + c, [start, count]);
  };
  let settled = await searchesRecorded();
  for (const q of ['a', 'b', 'c']) await page.fill('#query', q);
  await settled(3);
  await page.reload();
  await page.waitForFunction(() => window.dashboardReady === true);
  await page.evaluate(() => window.telemetry.ready);
  settled = await searchesRecorded();
  for (const q of ['d', 'e']) await page.fill('#query', q);
  await settled(2);
  await page.close({ runBeforeUnload: true });
  page = await open(ctx);
  const recorded = await page.evaluate(() => window.telemetry.stats().recorded);
  await page.fill('#query', 'f');
  // Recording happens once the response is read: wait for it before sending.
  await page.waitForFunction((n) => window.telemetry.stats().recorded > n, recorded);
  await sendNow(page);
  assert.ok(await eventually(async () => (await searched()) - before === ctx.searches, { timeoutMs: 20_000 }), `${(await searched()) - before} of ${ctx.searches}`);
  await page.waitForTimeout(1500);
  assert.equal((await searched()) - before, ctx.searches, 'nothing arrived twice');
  await ctx.close();
});

test('the collector down during the session, back later: everything arrives once', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await sendNow(page); // whatever the page recorded on opening
  const before = await searched();
  collector.kill('SIGKILL');
  await new Promise((r) => collector.once('exit', r));
  const recorded = await page.evaluate(() => window.telemetry.stats().recorded);
  for (const q of ['one', 'two', 'three', 'four']) await page.fill('#query', q);
  await page.waitForFunction((n) => window.telemetry.stats().recorded >= n + 4, recorded);
  const failed = await sendNow(page);
  assert.ok(failed.error, 'the send failed while the collector was down');
  collector = await startCollector();
  await sendNow(page).catch(() => {});
  assert.ok(await eventually(async () => (await searched()) - before === ctx.searches, { timeoutMs: 20_000 }), `${(await searched()) - before} of ${ctx.searches}`);
  await ctx.close();
});

test('no Meilisearch reachable: the dashboard says so and offers clearly labelled sample data', async () => {
  const ctx = await browser.newContext();
  await ctx.route(`${MEILI}/**`, (route) => route.abort('connectionrefused'));
  const page = await open(ctx);
  assert.match(await page.textContent('#connection'), /Could not reach Meilisearch/);
  assert.ok(await page.isVisible('#sample-offer'));
  const before = await searched();
  await page.click('#use-sample');
  assert.ok(await page.isVisible('#sample-banner'));
  assert.match(await page.textContent('#sample-banner'), /Sample data/);
  const recorded = await page.evaluate(() => window.telemetry.stats().recorded);
  await page.fill('#query', 'science fiction');
  await page.waitForFunction((n) => window.telemetry.stats().recorded > n, recorded);
  assert.match(await page.textContent('#hits'), /Dune/);
  await sendNow(page);
  assert.ok(await eventually(async () => (await searched()) > before), 'the sample search went through the same recording path');
  const errors = await events('Dashboard Errors');
  assert.ok(errors.some((e) => e.properties.errors.network > 0), 'the unreachable instance counted as network errors');
  await ctx.close();
});
