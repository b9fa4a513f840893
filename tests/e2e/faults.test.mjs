// The browser sender under faults, in Chromium against the scriptable loopback collector, each
// test combining a fault of the network with one of storage, visibility, reloads or other tabs.
// After each, the invariant: every message sealed is delivered, still queued, or lost under a
// reason (`sealed = delivered + Σ lost + queued`, over every page of the test, from the totals
// the pages keep), and no `messageId` is accepted twice, except once more after a reset that
// followed a commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  loopbackSuite, openPage, eventually, script, acceptedMessages, totalReceived, createIn, recordIn,
} from './harness.mjs';

const suite = loopbackSuite();
const { channel, received } = suite;

/** Ten events a host may record without properties: ten messages per interval. */
const TEN_EVENTS = ['Dump Created', 'Snapshot Created', 'Index Compacted', 'Launched', 'Tasks Deleted',
  'Index Created', 'Indexes Swapped', 'Tasks Canceled', 'Network Updated', 'Webhooks Created'];

const recordEach = (page, events) => page.evaluate((events) => events.forEach((e) => window.t.track(e)), events);

/** `localStorage.setItem` throws (quota) once `window.__refuse` is true (from the start with
 * `refuse`), as a host that filled the quota makes it. */
const refusingStorage = (refuse) => {
  window.__refuse = refuse;
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (...args) {
    if (window.__refuse) throw new DOMException('quota', 'QuotaExceededError');
    return setItem.apply(this, args);
  };
};

/** Makes the page hidden or visible, as switching tabs does. */
const setVisibility = (page, state) => page.evaluate((state) => {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}, state);

const sum = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

/** The invariant, from the pages still open (the last one's totals cover the pages that are
 * gone); `endpoint`'s accepted ids are each accepted once (once more after a commit-then-reset). */
async function assertBalanced(pages, endpoint) {
  const all = await Promise.all(pages.map((p) => p.evaluate(() => window.t.stats())));
  const last = all.at(-1);
  const counters = last.totals ?? last;
  const queued = all.reduce((n, s) => n + s.queued, 0);
  assert.equal(counters.sealed, counters.delivered + sum(counters.lost) + queued,
    `sealed = delivered + Σ lost + queued: ${JSON.stringify({ ...counters, queued })}`);
  const seen = new Map();
  for (const request of await received(endpoint)) {
    if (request.status !== 200 || !request.path.endsWith('/v1/batch')) continue;
    for (const { messageId } of JSON.parse(request.body).batch) {
      const entry = seen.get(messageId) ?? { accepted: 0, allowed: 1 };
      entry.accepted += 1;
      if (request.committed) entry.allowed += 1;
      seen.set(messageId, entry);
    }
  }
  for (const [id, { accepted, allowed }] of seen) assert.ok(accepted <= allowed, `${id} accepted ${accepted} times`);
}

test('storage refusing every write and a 500: the five sealed messages arrive, none lost', async () => {
  const endpoint = channel('refused-500');
  await script(endpoint, { status: 500 });
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site, refusingStorage, true);
  await page.evaluate(() => { window.__refuse = true; });
  await createIn(page, endpoint, { flushIntervalMs: 60_000 });
  await recordEach(page, TEN_EVENTS.slice(0, 5));
  const first = await page.evaluate(() => window.t.flush());
  assert.equal(first.status, 500);
  const ok = await eventually(async () => acceptedMessages(await received(endpoint)).length === 5);
  const stats = await page.evaluate(() => window.t.stats());
  assert.ok(ok, `accepted ${acceptedMessages(await received(endpoint)).length} of 5: ${JSON.stringify(stats)}`);
  assert.equal(sum(stats.lost), 0);
  assert.equal(stats.delivered, 5);
  assert.ok(stats.storageFailures > 0);
  await assertBalanced([page], endpoint);
  await context.close();
});

test('Retry-After holds when storage starts refusing after a first failure: no tight loop', async () => {
  const endpoint = channel('retry-after-refused');
  await script(endpoint, { status: 503 });
  await script(endpoint, { status: 503, headers: { 'Retry-After': '2' }, times: 3 });
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site, refusingStorage, false);
  await createIn(page, endpoint);
  await recordIn(page, 3);
  await eventually(async () => (await received(endpoint)).length >= 1);
  await page.evaluate(() => { window.__refuse = true; }); // the first failure was stored; now full
  await page.waitForTimeout(6_000);
  const requests = await received(endpoint);
  assert.ok(requests.length <= 5, `${requests.length} requests in 6 s`);
  for (let i = 1; i < requests.length; i += 1) {
    if (requests[i - 1].status === 503 && i > 1) {
      const gap = requests[i].at - requests[i - 1].at;
      assert.ok(gap >= 1_950, `request ${i} came ${gap} ms after a 503 with Retry-After: 2`);
    }
  }
  assert.ok(await eventually(async () => totalReceived(acceptedMessages(await received(endpoint))) === 3));
  await assertBalanced([page], endpoint);
  await context.close();
});

test('a reload mid-send sends each message once, and nothing by keepalive', async () => {
  const endpoint = channel('reload-once');
  await script(endpoint, { status: 503, delayMs: 2_500 });
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint, { flushIntervalMs: 600_000 });
  await recordEach(page, TEN_EVENTS);
  page.evaluate(() => window.t.flush()).catch(() => {}); // in flight when the page goes away
  await eventually(async () => (await received(endpoint)).length === 1);
  await page.reload();
  await page.waitForFunction(() => window.__ready === true);
  await createIn(page, endpoint);
  const ok = await eventually(async () => acceptedMessages(await received(endpoint)).length === 10);
  await page.waitForTimeout(1_500);
  const requests = await received(endpoint);
  assert.ok(ok, JSON.stringify(requests.map((r) => r.status)));
  const ids = requests.filter((r) => r.status === 200).flatMap((r) => JSON.parse(r.body).batch.map((m) => m.messageId));
  assert.equal(ids.length, 10, `10 messages, each accepted once: ${ids.length} accepted`);
  assert.equal(requests.length, 2, 'the request cut by the reload, then one from the next page');
  await assertBalanced([page], endpoint);
  await context.close();
});

test('flush() obeys Retry-After and the backoff: at once, with retryInMs, never early', async () => {
  const endpoint = channel('flush-retry-after');
  await script(endpoint, { status: 503, headers: { 'Retry-After': '5' } });
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint, { flushIntervalMs: 600_000 });
  await recordIn(page, 2);
  const first = await page.evaluate(() => window.t.flush());
  assert.equal(first.status, 503);
  assert.ok(first.retryInMs >= 4_500, JSON.stringify(first));
  const results = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 16; i += 1) {
      await new Promise((r) => setTimeout(r, 250));
      const started = performance.now();
      out.push({ ...(await window.t.flush()), tookMs: performance.now() - started });
    }
    return out;
  });
  assert.equal((await received(endpoint)).length, 1, 'no request inside the Retry-After window');
  for (const result of results) {
    assert.equal(result.attempts, 0);
    assert.ok(result.retryInMs > 0 && result.retryInMs <= 5_000, JSON.stringify(result));
    assert.ok(result.tookMs < 200, `resolved at once (${result.tookMs} ms)`);
  }
  assert.ok(await eventually(async () => totalReceived(acceptedMessages(await received(endpoint))) === 2));
  const requests = await received(endpoint);
  assert.ok(requests[1].at - requests[0].at >= 4_950, 'the retry waited for Retry-After: 5');
  assert.equal((await page.evaluate(() => window.t.flush())).retryInMs, null);
  await assertBalanced([page], endpoint);
  await context.close();
});

test('hidden during an upload: one upload at a time, and every delivery counted', async () => {
  const endpoint = channel('hidden-upload');
  await script(endpoint, { status: 200, delayMs: 1_500 });
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint, { uploadTimeoutMs: 5_000 });
  await recordEach(page, TEN_EVENTS.slice(0, 3));
  await eventually(async () => (await received(endpoint)).length === 1);
  await recordEach(page, TEN_EVENTS.slice(3, 6));
  await setVisibility(page, 'hidden');
  await page.waitForTimeout(300);
  await setVisibility(page, 'visible');
  const ok = await eventually(async () => acceptedMessages(await received(endpoint)).length === 6);
  const requests = await received(endpoint);
  assert.ok(ok, JSON.stringify(requests.map((r) => r.status)));
  assert.deepEqual(requests.map((r) => r.concurrent), requests.map(() => 1), 'never two uploads at once');
  assert.equal((await page.evaluate(() => window.t.stats())).delivered, 6);
  await assertBalanced([page], endpoint);
  await context.close();
});

test('concurrent flush() calls share one result of the documented shape', async () => {
  const endpoint = channel('concurrent-flush');
  await script(endpoint, { status: 200, delayMs: 300 });
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint, { flushIntervalMs: 600_000 });
  await recordIn(page, 4);
  const results = await page.evaluate(() => Promise.all([window.t.flush(), window.t.flush(), window.t.flush()]));
  for (const result of results) assert.deepEqual(result, results[0], 'one shared result');
  assert.deepEqual(Object.keys(results[0]).sort(), ['attempts', 'delivered', 'error', 'retryInMs', 'status']);
  assert.equal(results[0].delivered, 1);
  assert.equal((await received(endpoint)).length, 1);
  await assertBalanced([page], endpoint);
  await context.close();
});

test('opt-out in one tab reaches every tab at once; the upload under way writes nothing', async () => {
  const endpoint = channel('opt-out-tabs');
  await script(endpoint, { status: 200, delayMs: 1_500 });
  const context = await suite.browser.newContext();
  const sender = await openPage(context, suite.site);
  await createIn(sender, endpoint, { uploadTimeoutMs: 5_000 });
  const other = await openPage(context, suite.site);
  await createIn(other, endpoint, { uploadTimeoutMs: 5_000 });
  await recordIn(sender, 3);
  await eventually(async () => (await received(endpoint)).length === 1); // under way
  await other.evaluate(() => window.t.optOut());
  const off = await eventually(() => sender.evaluate(() => window.t.consent.enabled === false), { timeoutMs: 2_000 });
  assert.ok(off, 'the other tab stopped at once');
  await recordIn(sender, 5);
  await recordIn(other, 5);
  await sender.waitForTimeout(3_000); // the upload answers; two intervals pass
  const after = (await received(endpoint)).slice(1);
  assert.deepEqual(after.map((r) => r.path.split('/').at(-1)), ['deletion'],
    'after the opt-out, no batch: only the deletion of the UID that sent data');
  const keys = await sender.evaluate(() => Object.keys(localStorage).sort());
  assert.deepEqual(keys, ['meili-telemetry.consent'], 'nothing written back after the purge');
  const stats = await sender.evaluate(() => window.t.stats());
  assert.equal(stats.outcomesDiscarded, 1, JSON.stringify(stats));
  assert.equal(stats.discardedWhileDisabled, 5);
  assert.equal(stats.lost.purged_by_opt_out, 1);
  await assertBalanced([sender], endpoint);
  await other.evaluate(() => window.t.optIn());
  assert.ok(await eventually(() => sender.evaluate(() => window.t.consent.enabled), { timeoutMs: 2_000 }), 'opt-in reaches it too');
  await context.close();
});

test('hidden and shown 50 times in one interval: one message per event', async () => {
  const endpoint = channel('hide-fifty');
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint, { flushIntervalMs: 8_000 });
  await page.evaluate(async () => {
    const set = (state) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    for (let i = 0; i < 50; i += 1) {
      window.t.track('Dump Created');
      set('hidden');
      await new Promise((r) => setTimeout(r, 20));
      set('visible');
      await new Promise((r) => setTimeout(r, 40));
    }
  });
  const ok = await eventually(async () => acceptedMessages(await received(endpoint)).length > 0, { timeoutMs: 15_000 });
  await page.waitForTimeout(1_000);
  const messages = acceptedMessages(await received(endpoint));
  assert.ok(ok);
  assert.equal(messages.length, 1, `one summary, not ${messages.length}`);
  assert.equal(messages[0].properties.requests.total_received, 50);
  await assertBalanced([page], endpoint);
  await context.close();
});

test('a page that never comes back is sent by the next page load, at once when its interval is over', async () => {
  const endpoint = channel('never-back');
  const context = await suite.browser.newContext();
  const gone = await openPage(context, suite.site);
  await createIn(gone, endpoint, { flushIntervalMs: 1_500 });
  await recordIn(gone, 4);
  await setVisibility(gone, 'hidden');
  await gone.close({ runBeforeUnload: true });
  await new Promise((r) => setTimeout(r, 2_000));
  assert.equal((await received(endpoint)).length, 0, 'nothing sent by the page that left');
  const next = await openPage(context, suite.site);
  const before = await next.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
  const created = Date.now();
  await createIn(next, endpoint, { flushIntervalMs: 600_000 });
  const ok = await eventually(async () => totalReceived(acceptedMessages(await received(endpoint))) === 4, { timeoutMs: 5_000 });
  assert.ok(ok, JSON.stringify(await next.evaluate(() => ({ queue: localStorage.getItem('meili-telemetry.queue'), past: localStorage.getItem('meili-telemetry.stats.past'), queued: window.t.stats().queued, pending: window.t.pending() }))) + JSON.stringify(before));
  const [request] = await received(endpoint);
  assert.ok(request.at - created < 1_500, `sent ${request.at - created} ms after the next page started`);
  await assertBalanced([next], endpoint);
  await context.close();
});

test('a reset after the collector committed: resent with the same ids, never lost', async () => {
  const endpoint = channel('commit-reset');
  await script(endpoint, { commit: true });
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint);
  await recordEach(page, TEN_EVENTS.slice(0, 2));
  const ok = await eventually(async () => (await received(endpoint)).filter((r) => r.status === 200).length === 2);
  assert.ok(ok);
  const [first, second] = (await received(endpoint)).map((r) => JSON.parse(r.body).batch.map((m) => m.messageId));
  assert.deepEqual(second, first, 'the same messages, the same ids: the collector can deduplicate');
  await assertBalanced([page], endpoint);
  await context.close();
});

test('storage refusing and the page leaving: what it holds goes once, by keepalive', async () => {
  const endpoint = channel('leave-keepalive');
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site, refusingStorage, true);
  await createIn(page, endpoint, { flushIntervalMs: 600_000 });
  await recordEach(page, TEN_EVENTS.slice(0, 3));
  await page.close({ runBeforeUnload: true });
  const ok = await eventually(async () => acceptedMessages(await received(endpoint)).length === 3, { timeoutMs: 5_000 });
  assert.ok(ok, 'the keepalive upload arrived');
  const next = await openPage(context, suite.site);
  await createIn(next, endpoint);
  await next.waitForTimeout(2_000);
  const requests = await received(endpoint);
  assert.equal(requests.length, 1, 'one keepalive upload, nothing sent again by the next page');
  await assertBalanced([next], endpoint);
  await context.close();
});
