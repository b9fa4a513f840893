// Delivery in Chromium against the scriptable loopback collector: connection drops, 500, 503 +
// Retry-After, 429 + Retry-After date, an answer slower than the timeout, two tabs at once, an
// offline spell (faults combined with storage, reloads, visibility and tabs: faults.test.mjs). After the faults stop, the collector holds
// every aggregate exactly once: the sum of `requests.total_received` over the distinct
// `messageId`s it accepted equals the number of calls recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCollector } from '../support/loopback-collector.mjs';
import {
  loopbackSuite, openPage, eventually, script, acceptedMessages, totalReceived, createIn, recordIn, FIREFOX,
} from './harness.mjs';

const suite = loopbackSuite();
const { channel, received } = suite;
const accepted = async (endpoint) => acceptedMessages(await received(endpoint));

test('faults of every kind, then recovery: every aggregate arrives exactly once', async () => {
  const endpoint = channel('faults');
  await script(endpoint, { destroy: true });
  await script(endpoint, { status: 500 });
  await script(endpoint, { status: 503, headers: { 'Retry-After': '1' } });
  await script(endpoint, { status: 429, headers: { 'Retry-After': new Date(Date.now() + 1500).toUTCString() } });
  await script(endpoint, { status: 200, delayMs: 2000 }); // slower than the 600 ms timeout
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint);
  let recorded = 0;
  for (let round = 0; round < 8; round += 1) {
    await recordIn(page, 5);
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

test('two tabs: one sender at a time, both tabs’ aggregates arrive, nothing twice', async () => {
  const endpoint = channel('tabs');
  const context = await suite.browser.newContext();
  const [a, b] = [await openPage(context, suite.site), await openPage(context, suite.site)];
  await createIn(a, endpoint);
  await createIn(b, endpoint);
  for (let round = 0; round < 6; round += 1) {
    await recordIn(a, 4);
    await recordIn(b, 6);
    await a.waitForTimeout(300);
  }
  const ok = await eventually(async () => totalReceived(await accepted(endpoint)) === 60, { timeoutMs: 20_000 });
  assert.ok(ok, `accepted ${totalReceived(await accepted(endpoint))} of 60`);
  const ids = (await received(endpoint)).filter((r) => r.status === 200).flatMap((r) => JSON.parse(r.body).batch.map((m) => m.messageId));
  assert.equal(new Set(ids).size, ids.length, 'no messageId was sent twice by two tabs');
  await context.close();
});

test('offline pauses sending without losing anything; online resumes it', { skip: FIREFOX && 'WebDriver classic has no offline emulation' }, async () => {
  const endpoint = channel('offline');
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint);
  await context.setOffline(true);
  await recordIn(page, 4);
  await page.waitForTimeout(2500);
  assert.equal((await received(endpoint)).length, 0, 'no request while offline');
  await context.setOffline(false);
  const ok = await eventually(async () => totalReceived(await accepted(endpoint)) === 4);
  assert.ok(ok);
  await context.close();
});

test('gzip bodies when configured', async () => {
  const endpoint = channel('gzip');
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint, { gzip: true });
  await recordIn(page, 2);
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
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint);
  await recordIn(page, 6);
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
