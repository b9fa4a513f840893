// End-to-end harness: serves the built package and a blank test page on loopback, and drives
// Debian's Chromium through playwright-core (no browser download: the system binary is used).
// Pages of one browser context share an origin, so `localStorage` and Web Locks behave as in
// several tabs of one dashboard.
import http from 'node:http';
import { spawn, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { startCollector } from '../support/loopback-collector.mjs';
import { chromium } from 'playwright-core';
import { launchFirefox } from './webdriver.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The package served as `/pkg/`: the build, or another one (`MEILI_E2E_PKG`, e.g. an older
 * build, to check that a test fails on the code it guards against). */
const pkgDir = path.resolve(root, process.env.MEILI_E2E_PKG ?? 'pkg');
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

const PAGE = `<!doctype html><meta charset="utf-8"><title>e2e</title>
<script>
  window.__errors = [];
  addEventListener('error', (e) => __errors.push(String(e.message)));
  addEventListener('unhandledrejection', (e) => __errors.push(String(e.reason)));
</script>
<script type="module">
  import * as meili from '/pkg/index.js';
  window.meili = meili;
  window.__ready = true;
</script>`;

/** Serves `/pkg/…` and `/e2e.html` on 127.0.0.1. */
export async function startSite() {
  const server = http.createServer(async (req, res) => {
    const url = req.url.split('?')[0];
    if (url === '/e2e.html') {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
      return res.end(PAGE);
    }
    const file = path.join(pkgDir, path.normalize(url).replace(/^\/pkg\//, '/'));
    if (!url.startsWith('/pkg/') || !file.startsWith(pkgDir + path.sep)) {
      res.writeHead(404);
      return res.end();
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  };
}

/** The engine the tests run in: Chromium, or Firefox with `MEILI_E2E_BROWSER=firefox`. */
export const FIREFOX = process.env.MEILI_E2E_BROWSER === 'firefox';

/** Headless Chromium with the flags that keep it quiet and deterministic (plus `extraArgs`); or
 * headless Firefox through WebDriver (`webdriver.mjs`; Chromium's flags do not apply). */
export function launch(extraArgs = []) {
  if (FIREFOX) return launchFirefox();
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Opens the test page in `context` and waits for the package (`beforeLoad(arg)` runs first). */
export async function openPage(context, site, beforeLoad, arg) {
  const page = await context.newPage();
  if (beforeLoad) await page.addInitScript(beforeLoad, arg);
  await page.goto(`${site.url}/e2e.html`);
  await page.waitForFunction(() => window.__ready === true, null, { timeout: 15_000 });
  return page;
}

/** Polls `check` until it returns a truthy value (bounded). */
export async function eventually(check, { timeoutMs = 20_000, everyMs = 100 } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return last;
}

/** Per-test channels of the loopback collector (`tests/support/loopback-collector.mjs`): a fresh
 * endpoint by name, and what the collector received on one. */
export function collectorChannels(collector) {
  let channels = 0;
  return {
    channel: (name) => `${collector().url}/t/${name}-${Date.now()}-${(channels += 1)}`,
    received: async (endpoint) => (await fetch(`${endpoint}/received`)).json(),
  };
}

/** Scripts the next answers of a channel (see `tests/support/loopback-collector.mjs`). */
export const script = (endpoint, answer) => fetch(`${endpoint}/script`, { method: 'POST', body: JSON.stringify(answer) });

/** Every message the collector accepted (status 200), by id; fails on two different bodies for
 * one id. */
export function acceptedMessages(requests) {
  const byId = new Map();
  for (const request of requests) {
    if (request.status !== 200 || !request.path.endsWith('/v1/batch')) continue;
    for (const message of JSON.parse(request.body).batch) {
      const seen = byId.get(message.messageId);
      if (seen) assert.deepEqual(message.properties, seen.properties, 'one messageId, two contents');
      byId.set(message.messageId, message);
    }
  }
  return [...byId.values()];
}

/** The calls the messages summarize (their `requests.total_received`). */
export const totalReceived = (messages) => messages.reduce((n, m) => n + (m.properties?.requests?.total_received ?? 0), 0);

/** Fast timings for tests: a 1 s interval, a 100 ms to 800 ms backoff, a 600 ms upload timeout. */
export const FAST = { flushIntervalMs: 1000, retry: { baseMs: 100, capMs: 800 }, uploadTimeoutMs: 600 };

/** Creates `window.t` in `page` for `endpoint`. */
export async function createIn(page, endpoint, extra = {}) {
  await page.evaluate(async ({ endpoint, options }) => {
    window.t = await window.meili.Telemetry.create({ endpoint, writeKey: 'k', ...options });
  }, { endpoint, options: { ...FAST, ...extra } });
}

/** Records `n` calls of `event` in `page`. */
export const recordIn = (page, n, event = 'Dump Created') => page.evaluate(({ n, event }) => {
  for (let i = 0; i < n; i += 1) window.t.track(event);
}, { n, event });

/** The fixture of a test file: the loopback collector, a site (`startSite` unless given) and
 * Chromium, started before its tests and stopped after; plus the collector's channels. */
export function loopbackSuite({ site: startSiteOf = startSite, args = [] } = {}) {
  const suite = { collector: null, site: null, browser: null };
  before(async () => {
    suite.collector = await startCollector();
    suite.site = await startSiteOf();
    suite.browser = await launch(args);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.site?.close();
    await suite.collector?.close();
  });
  return Object.assign(suite, collectorChannels(() => suite.collector));
}

/** The read key the real collectors of the e2e tests are started with. */
export const READ_KEY = 'e2e-read-key';
/** `fetch` options that carry it. */
export const READ = { headers: { Authorization: `Bearer ${READ_KEY}` } };

/** Builds the real collector (`meili-collector`, debug) once per file. */
export const buildCollector = () => execFileSync('cargo', ['build', '-q', '-p', 'meili-collector'], { cwd: root, stdio: 'inherit' });

/** Starts the real collector on `port` with its database at `db` (write key `local-dev-key`,
 * read key `READ_KEY`) and `extra` flags; resolves once `/health` answers. */
export async function startRealCollector({ port, db, extra = [] }) {
  const child = spawn(path.join(root, 'target/debug/meili-collector'), [
    '--listen', `127.0.0.1:${port}`, '--db', db, '--www', path.join(root, 'www/dist'),
    '--pkg', path.join(root, 'pkg'), '--expose-write-key', '--write-key', 'local-dev-key', '--read-key', READ_KEY, ...extra,
  ], { stdio: 'ignore', env: { ...process.env, MEILI_NO_ANALYTICS: undefined } });
  const up = await eventually(async () => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok).catch(() => false), { timeoutMs: 20_000, everyMs: 50 });
  if (!up) child.kill('SIGKILL'); // never left behind by a failed start
  assert.ok(up, `the collector started on ${port}`);
  return child;
}
