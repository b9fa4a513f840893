// Delivery in Chromium against the scriptable loopback collector: connection drops, 500, 503 +
// Retry-After, 429 + Retry-After date, an answer slower than the timeout, a reload mid-send, two
// tabs at once, storage that throws, an offline spell. After the faults stop, the collector holds
// every aggregate exactly once: the sum of `requests.total_received` over the distinct
// `messageId`s it accepted equals the number of calls recorded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCollector } from '../support/loopback-collector.mjs';
import { startSite, launch, openPage, eventually, collectorChannels } from './harness.mjs';

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
const script = (endpoint, answer) => fetch(`${endpoint}/script`, { method: 'POST', body: JSON.stringify(answer) });

/** Every accepted message, by id; fails on two different bodies for one id. */
async function accepted(endpoint) {
  const byId = new Map();
  for (const request of await received(endpoint)) {
    if (request.status !== 200) continue;
    for (const message of JSON.parse(request.body).batch) {
      const seen = byId.get(message.messageId);
      if (seen) assert.deepEqual(message.properties, seen.properties, 'one messageId, two contents');
      byId.set(message.messageId, message);
    }
  }
  return [...byId.values()];
}

const totalReceived = (messages) => messages.reduce((n, m) => n + (m.properties?.requests?.total_received ?? 0), 0);

const FAST = { flushIntervalMs: 1000, retry: { baseMs: 100, capMs: 800 }, uploadTimeoutMs: 600 };

async function create(page, endpoint, extra = {}) {
  await page.evaluate(async ({ endpoint, options }) => {
    window.t = await window.meili.Telemetry.create({ endpoint, writeKey: 'k', ...options });
  }, { endpoint, options: { ...FAST, ...extra } });
}

const record = (page, n) => page.evaluate((n) => {
  for (let i = 0; i < n; i += 1) window.t.track('Dump Created');
}, n);

test('faults of every kind, then recovery: every aggregate arrives exactly once', async () => {
  const endpoint = channel('faults');
  await script(endpoint, { destroy: true });
  await script(endpoint, { status: 500 });
  await script(endpoint, { status: 503, headers: { 'Retry-After': '1' } });
  await script(endpoint, { status: 429, headers: { 'Retry-After': new Date(Date.now() + 1500).toUTCString() } });
  await script(endpoint, { status: 200, delayMs: 2000 }); // slower than the 600 ms timeout
  const context = await browser.newContext();
  const page = await openPage(context, site);
  await create(page, endpoint);
  let recorded = 0;
  for (let round = 0; round < 8; round += 1) {
    await record(page, 5);
    recorded += 5;
    await page.waitForTimeout(400);
  }
  const done = await eventually(async () => totalReceived(await accepted(endpoint)) === recorded, { timeoutMs: 30_000 });
  const requests = await received(endpoint);
  assert.ok(done, `accepted ${totalReceived(await accepted(endpoint))} of ${recorded}: ${JSON.stringify(requests.map((r) => r.status))}`);
  const statuses = requests.map((r) => r.status);
  assert.deepEqual(statuses.slice(0, 5), [null, 500, 503, 429, 200], 'each fault was met');
  // Retry-After was honoured: the attempt after the 503 came at least 1 s later.
  assert.ok(requests[3].at - requests[2].at >= 950, `retried ${requests[3].at - requests[2].at} ms after a 503 with Retry-After: 1`);
  assert.deepEqual(await page.evaluate(() => window.__errors), []);
  await context.close();
});

test('a reload mid-send loses nothing (the batch is stored before it leaves)', async () => {
  const endpoint = channel('reload');
  await script(endpoint, { status: 503, delayMs: 1500 });
  const context = await browser.newContext();
  const page = await openPage(context, site);
  await create(page, endpoint, { flushIntervalMs: 600000 });
  await record(page, 7);
  page.evaluate(() => window.t.flush()).catch(() => {}); // in flight when the page goes away
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForFunction(() => window.__ready === true);
  await create(page, endpoint, { flushIntervalMs: 1000 });
  await record(page, 3);
  const ok = await eventually(async () => totalReceived(await accepted(endpoint)) === 10, { timeoutMs: 20_000 });
  assert.ok(ok, `accepted ${totalReceived(await accepted(endpoint))} of 10`);
  await context.close();
});

test('two tabs: one sender at a time, both tabs’ aggregates arrive, nothing twice', async () => {
  const endpoint = channel('tabs');
  const context = await browser.newContext();
  const [a, b] = [await openPage(context, site), await openPage(context, site)];
  await create(a, endpoint);
  await create(b, endpoint);
  for (let round = 0; round < 6; round += 1) {
    await record(a, 4);
    await record(b, 6);
    await a.waitForTimeout(300);
  }
  const ok = await eventually(async () => totalReceived(await accepted(endpoint)) === 60, { timeoutMs: 20_000 });
  assert.ok(ok, `accepted ${totalReceived(await accepted(endpoint))} of 60`);
  const ids = (await received(endpoint)).filter((r) => r.status === 200).flatMap((r) => JSON.parse(r.body).batch.map((m) => m.messageId));
  assert.equal(new Set(ids).size, ids.length, 'no messageId was sent twice by two tabs');
  await context.close();
});

test('storage that throws: delivery goes on from memory, nothing thrown into the page', async () => {
  const endpoint = channel('storage-throws');
  const context = await browser.newContext();
  const page = await openPage(context, site, () => {
    Storage.prototype.setItem = () => { throw new DOMException('quota', 'QuotaExceededError'); };
  });
  await create(page, endpoint);
  await record(page, 9);
  const ok = await eventually(async () => totalReceived(await accepted(endpoint)) === 9);
  assert.ok(ok);
  const stats = await page.evaluate(() => window.t.stats());
  assert.ok(stats.storageFailures > 0, JSON.stringify(stats));
  assert.deepEqual(await page.evaluate(() => window.__errors), []);
  await context.close();
});

test('offline pauses sending without losing anything; online resumes it', async () => {
  const endpoint = channel('offline');
  const context = await browser.newContext();
  const page = await openPage(context, site);
  await create(page, endpoint);
  await context.setOffline(true);
  await record(page, 4);
  await page.waitForTimeout(2500);
  assert.equal((await received(endpoint)).length, 0, 'no request while offline');
  await context.setOffline(false);
  const ok = await eventually(async () => totalReceived(await accepted(endpoint)) === 4);
  assert.ok(ok);
  await context.close();
});

test('gzip bodies when configured', async () => {
  const endpoint = channel('gzip');
  const context = await browser.newContext();
  const page = await openPage(context, site);
  await create(page, endpoint, { gzip: true });
  await record(page, 2);
  await page.evaluate(() => window.t.flush());
  const requests = await received(endpoint);
  assert.equal(requests[0].headers['content-encoding'], 'gzip');
  assert.equal(totalReceived(await accepted(endpoint)), 2);
  await context.close();
});

test('connection refused until the collector starts: nothing lost', async () => {
  const probe = await startCollector({ port: 0 });
  const port = Number(new URL(probe.url).port);
  await probe.close(); // nothing listens on `port` now: connections are refused
  const endpoint = `http://127.0.0.1:${port}/t/refused`;
  const context = await browser.newContext();
  const page = await openPage(context, site);
  await create(page, endpoint);
  await record(page, 6);
  await page.waitForTimeout(2500);
  const failed = await page.evaluate(() => window.t.stats().failedUploads);
  assert.ok(failed >= 1, `attempts were refused (${failed})`);
  const late = await startCollector({ port });
  try {
    const ok = await eventually(async () => totalReceived(await accepted(endpoint)) === 6, { timeoutMs: 15_000 });
    assert.ok(ok, `accepted ${totalReceived(await accepted(endpoint))} of 6`);
  } finally {
    await late.close();
    await context.close();
  }
});
