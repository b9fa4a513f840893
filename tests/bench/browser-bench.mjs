// The browser benchmark: serves the built package, browser-bench.html and a search route on
// loopback, opens the page in headless Chromium, and prints what it measured (µs per recorded
// search through the JS API, µs that instrumentFetch adds to a real fetch, heap growth after
// 1,000,000 searches). Run: `npm run bench:browser` (after `npm run build`). Ends by itself: the
// page posts its result, or the run gives up after 5 min.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const GIVE_UP_MS = 5 * 60 * 1000;

const { page } = await import('./peers/search.js');
/** The answer to every search the page makes through `fetch`: the page of 20 hits. */
const SEARCH_RESPONSE = JSON.stringify(page());

let settle;
const result = new Promise((resolve) => { settle = resolve; });
const server = http.createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/result') {
    let body = '';
    for await (const chunk of req) body += chunk;
    res.end('ok');
    return settle(JSON.parse(body));
  }
  if (req.url === '/indexes/movies/search') {
    for await (const chunk of req) void chunk; // the request body, read as a server reads it
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(SEARCH_RESPONSE);
  }
  const file = req.url === '/' ? path.join(root, 'tests/bench/browser-bench.html') : path.join(root, path.normalize(req.url));
  const served = [path.join(root, 'pkg'), path.join(root, 'target/package-src'), path.join(root, 'tests/bench/peers/search.js'), path.join(root, 'tests/bench/browser-bench.html')];
  if (!served.some((allowed) => file.startsWith(allowed))) { res.writeHead(404); return res.end(); }
  try {
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(await readFile(file));
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;
const profile = await mkdtemp(path.join(tmpdir(), 'meili-bench-'));
const chromium = spawn(process.env.CHROMIUM ?? '/usr/bin/chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-precise-memory-info', '--js-flags=--expose-gc',
  `--user-data-dir=${profile}`, url,
], { stdio: 'ignore' });
const timer = setTimeout(() => settle({ error: `no result after ${GIVE_UP_MS / 1000} s` }), GIVE_UP_MS);
const measured = await result;
clearTimeout(timer);
console.log(JSON.stringify(measured, null, 2));
const exited = new Promise((resolve) => chromium.once('exit', resolve));
chromium.kill('SIGKILL');
await exited;
server.close();
await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => {});
if (measured.error) process.exitCode = 1;
