// End-to-end harness: serves the built package and a blank test page on loopback, and drives
// Debian's Chromium through playwright-core (no browser download: the system binary is used).
// Pages of one browser context share an origin, so `localStorage` and Web Locks behave as in
// several tabs of one dashboard.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
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
    const file = path.join(root, path.normalize(url));
    if (!file.startsWith(path.join(root, 'pkg') + path.sep)) {
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

/** Headless Chromium with the flags that keep it quiet and deterministic (plus `extraArgs`). */
export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Opens the test page in `context` and waits for the package. */
export async function openPage(context, site, beforeLoad) {
  const page = await context.newPage();
  if (beforeLoad) await page.addInitScript(beforeLoad);
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
