// Deletion end to end, in Chromium against the real collector and its SQLite database: opting
// out asks for the deletion of the UID that sent data and the collector then holds none of its
// rows; with the collector down at opt-out, the deletion waits across a reload and goes once it
// is back; `requestDeletion()` after an opt-out targets the old UID, never a fresh one; and a
// batch another tab still holds under the deleted UID is refused (`deleted`) when it arrives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startSite, launch, openPage, eventually, READ, buildCollector, startRealCollector,
} from './harness.mjs';

let site;
let browser;
let dir;
const children = [];
before(async () => {
  buildCollector();
  dir = mkdtempSync(path.join(tmpdir(), 'meili-deletion-e2e-'));
  site = await startSite();
  browser = await launch();
});
after(async () => {
  children.forEach((c) => c.kill('SIGKILL'));
  await browser?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

let ports = 0;
async function collector() {
  const port = 19_900 + Math.floor(Math.random() * 50) * 2 + ((ports += 1) % 2);
  const child = await startRealCollector({ port, db: path.join(dir, `db-${port}.sqlite`) });
  children.push(child);
  return { url: `http://127.0.0.1:${port}`, port, child };
}
const rowsOf = async (url, uid) => (await (await fetch(`${url}/v1/events?userId=${uid}`, READ)).json()).events;
const deletions = async (url) => (await (await fetch(`${url}/health`)).json()).deletions;

async function create(page, endpoint, extra = {}) {
  return page.evaluate(async ({ endpoint, extra }) => {
    window.t = await window.meili.Telemetry.create({
      endpoint, writeKey: 'local-dev-key', flushIntervalMs: 1000, retry: { baseMs: 100, capMs: 800 }, ...extra,
    });
    return window.t.instanceUid;
  }, { endpoint, extra });
}

async function sendSome(page, url, uid) {
  await page.evaluate(() => { window.t.track('Dump Created'); return window.t.flush(); });
  assert.ok(await eventually(async () => (await rowsOf(url, uid)).length > 0), 'the data arrived');
}

test('opting out deletes what the UID sent: the collector holds none of its rows', async () => {
  const { url } = await collector();
  const context = await browser.newContext();
  const page = await openPage(context, site);
  const uid = await create(page, url);
  await sendSome(page, url, uid);
  await page.evaluate(() => window.t.optOut());
  assert.ok(await eventually(async () => (await rowsOf(url, uid)).length === 0), 'deleted after the opt-out');
  assert.equal(await deletions(url), 1);
  const keys = await page.evaluate(() => Object.keys(localStorage).sort());
  assert.deepEqual(keys, ['meili-telemetry.consent'], 'the owed deletion is forgotten once acknowledged');
  await context.close();
});

test('the collector down at opt-out: the deletion waits across a reload and goes once it is back', async () => {
  const { url, port, child } = await collector();
  const context = await browser.newContext();
  const page = await openPage(context, site);
  const uid = await create(page, url);
  await sendSome(page, url, uid);
  child.kill('SIGKILL');
  await page.evaluate(() => window.t.optOut());
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => localStorage.getItem('meili-telemetry.deletion-owed')), uid, 'owed, stored');
  await page.reload();
  await page.waitForFunction(() => window.__ready === true);
  await create(page, url);
  // The database survives the restart; the deletion arrives once the collector is back.
  children.push(await startRealCollector({ port, db: path.join(dir, `db-${port}.sqlite`) }));
  assert.ok(await eventually(async () => (await rowsOf(url, uid)).length === 0, { timeoutMs: 30_000 }), 'deleted once back');
  assert.ok(await eventually(() => page.evaluate(() => localStorage.getItem('meili-telemetry.deletion-owed') === null)));
  await context.close();
});

test('requestDeletion() after an opt-out targets the UID that sent data', async () => {
  const { url } = await collector();
  const context = await browser.newContext();
  const page = await openPage(context, site);
  const uid = await create(page, url, { deleteOnOptOut: false });
  await sendSome(page, url, uid);
  await page.evaluate(() => window.t.optOut());
  await page.waitForTimeout(1_500);
  assert.equal((await rowsOf(url, uid)).length, 1, 'deleteOnOptOut: false sends nothing by itself');
  await page.reload();
  await page.waitForFunction(() => window.__ready === true);
  await create(page, url, { deleteOnOptOut: false });
  const result = await page.evaluate(() => window.t.requestDeletion());
  assert.equal(result.status, 200, JSON.stringify(result));
  assert.equal((await rowsOf(url, uid)).length, 0, 'the old UID was deleted, not a fresh one');
  await context.close();
});

test('a batch another tab holds under the deleted UID is refused when it arrives', async () => {
  const { url } = await collector();
  const context = await browser.newContext();
  const page = await openPage(context, site);
  const uid = await create(page, url);
  await sendSome(page, url, uid);
  assert.equal((await page.evaluate(() => window.t.requestDeletion())).status, 200);
  // The late batch, as a tab that missed the deletion would send it.
  const late = {
    batch: [{
      type: 'track', event: 'Dump Created', userId: uid, messageId: crypto.randomUUID(),
      properties: { 'user-agent': [], requests: { total_received: 1 } }, context: { ip: '0.0.0.0' },
    }],
  };
  const answer = await fetch(`${url}/v1/batch`, {
    method: 'POST', body: JSON.stringify(late),
    headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from('local-dev-key:').toString('base64')}` },
  });
  const body = await answer.json();
  assert.equal(body.rejected[0]?.reason, 'deleted', JSON.stringify(body));
  assert.equal((await rowsOf(url, uid)).length, 0, 'nothing stored');
  await context.close();
});

test('a deletion in one tab purges every tab: the other takes the new UID and drops what it held', async () => {
  const { url } = await collector();
  const context = await browser.newContext();
  const [a, b] = [await openPage(context, site), await openPage(context, site)];
  const uid = await create(a, url, { flushIntervalMs: 600_000 });
  assert.equal(await create(b, url, { flushIntervalMs: 600_000 }), uid, 'one installation, one UID');
  await sendSome(a, url, uid);
  await b.evaluate(() => window.t.track('Snapshot Created'));
  const { status, instanceUid } = await a.evaluate(() => window.t.requestDeletion());
  assert.equal(status, 200);
  assert.ok(await eventually(() => b.evaluate((fresh) => window.t.instanceUid === fresh, instanceUid)), 'the other tab took the new UID');
  assert.deepEqual(await b.evaluate(() => window.t.pending()), { batch: [] }, 'and dropped what it recorded under the old one');
  assert.equal((await rowsOf(url, uid)).length, 0);
  await context.close();
});
