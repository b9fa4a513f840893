// The package in a fresh Vite + React app, as a user installs it: `npm pack` of the built
// package, a new app in a temporary folder (React, @vitejs/plugin-react and Vite from the npm
// registry, the package from the tarball), then in headless Chromium its dev server and its
// production build (served by `vite preview`), each with and without `optimizeDeps.exclude`:
// the app renders, the search it makes through `instrumentFetch` is observed, and `flush()`
// delivers one batch that the real collector stores under the page's instance UID.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCollector, startRealCollector, eventually, launch, READ } from './harness.mjs';
import { startCollector } from '../support/loopback-collector.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** What the app installs besides the tarball: pinned, so a new release cannot move the test. */
const APP_DEPENDENCIES = ['react@19.3.1', 'react-dom@19.3.1', '@vitejs/plugin-react@6.3.0', `vite@${JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).devDependencies.vite}`];
const VITE_START_MS = 30_000;

const MAIN_JSX = `
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createTelemetry } from 'meili-telemetry';

const params = new URLSearchParams(location.search);
const meili = params.get('meili');
const telemetry = createTelemetry({ endpoint: params.get('collector'), writeKey: 'local-dev-key', autoSend: false });
const search = telemetry.instrumentFetch(fetch, { host: meili });
let started = false; // StrictMode runs effects twice in development: one search, once

async function searchAndFlush() {
  const answer = await search(meili + '/indexes/movies/search', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ q: 'star wars', limit: 20 }),
  });
  await answer.json();
  const ready = await telemetry.ready;
  const flushed = await telemetry.flush();
  return { status: answer.status, loaded: ready.loaded, error: ready.error?.message ?? null, uid: telemetry.instanceUid,
    recorded: telemetry.stats().recorded, delivered: flushed.delivered };
}

function App() {
  const [result, setResult] = useState(null);
  useEffect(() => {
    if (started) return;
    started = true;
    searchAndFlush().then(setResult, (error) => setResult({ error: String(error) }));
  }, []);
  return <main><h1>Movies</h1><output id="result">{result ? JSON.stringify(result) : 'searching'}</output></main>;
}

createRoot(document.getElementById('root')).render(<StrictMode><App /></StrictMode>);
`;

const INDEX_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>A dashboard</title></head>
<body><div id="root"></div><script type="module" src="/src/main.jsx"></script></body></html>
`;

const viteConfig = (exclude) => `import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
export default defineConfig({ plugins: [react()]${exclude ? ", optimizeDeps: { exclude: ['meili-telemetry'] }" : ''} });
`;

let work;
let app;
let browser;
let meili;
let collector;
let collectorPort;

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'meili-vite-app-'));
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
  app = path.join(work, 'app');
  await mkdir(path.join(app, 'src'), { recursive: true });
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'a-dashboard', private: true, type: 'module' }));
  await writeFile(path.join(app, 'index.html'), INDEX_HTML);
  await writeFile(path.join(app, 'src/main.jsx'), MAIN_JSX);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', ...APP_DEPENDENCIES, path.join(work, packed.filename)], { cwd: app, stdio: 'inherit' });
  buildCollector();
  collectorPort = await freePort();
  collector = await startRealCollector({ port: collectorPort, db: path.join(work, 'collector.sqlite') });
  meili = await startCollector({ port: 0 }); // answers like Meilisearch under /meili
  browser = await launch();
});

after(async () => {
  await browser?.close();
  collector?.kill('SIGKILL');
  await meili?.close();
  if (work) await rm(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

/** Starts `vite <args>` in the app on a free port; resolves with its URL and a stop function. */
async function startVite(args) {
  const port = await freePort();
  const child = spawn(path.join(app, 'node_modules/.bin/vite'), [...args, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}`;
  const up = await eventually(() => fetch(url).then((r) => r.ok).catch(() => false), { timeoutMs: VITE_START_MS, everyMs: 100 });
  if (!up) child.kill('SIGKILL');
  assert.ok(up, `vite ${args.join(' ')} started:\n${output}`);
  return { url, output: () => output, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) };
}

for (const mode of ['dev server', 'production build']) {
  for (const exclude of [false, true]) {
    test(`the ${mode} ${exclude ? 'with' : 'without'} optimizeDeps.exclude renders, observes the search and delivers its batch`, async () => {
      await writeFile(path.join(app, 'vite.config.js'), viteConfig(exclude));
      await rm(path.join(app, 'node_modules/.vite'), { recursive: true, force: true }); // no optimizer cache of another variant
      if (mode === 'production build') execFileSync(path.join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: app, stdio: 'inherit' });
      const vite = await startVite(mode === 'dev server' ? [] : ['preview']);
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const query = new URLSearchParams({ collector: `http://127.0.0.1:${collectorPort}`, meili: `${meili.url}/meili` });
        await page.goto(`${vite.url}/?${query}`);
        assert.equal(await page.textContent('h1'), 'Movies', 'the app rendered');
        await page.waitForFunction(() => document.querySelector('#result')?.textContent !== 'searching', null, { timeout: 30_000 });
        const result = JSON.parse(await page.textContent('#result'));
        assert.deepEqual(errors, [], 'no error in the page');
        assert.equal(result.error, null, `the engine loaded (vite said:\n${vite.output()})`);
        assert.equal(result.loaded, true);
        assert.equal(result.status, 200, 'the search itself was answered');
        assert.equal(result.recorded, 1, 'one search observed');
        assert.ok(result.delivered >= 1, 'flush() delivered the batch');
        const stored = await eventually(async () => {
          const { events } = await fetch(`http://127.0.0.1:${collectorPort}/v1/events?userId=${result.uid}`, READ).then((r) => r.json());
          return events.find((e) => e.event === 'Documents Searched POST');
        });
        assert.ok(stored, 'the collector stored the search under the page\'s instance UID');
        assert.equal(stored.properties.requests.total_received, 1);
      } finally {
        await context.close();
        await vite.stop();
      }
    });
  }
}
