// Side by side with the peer SDKs, in the same run, in headless Chromium (playwright-core with
// Debian's Chromium): this package, @segment/analytics-next, posthog-js,
// @amplitude/analytics-browser and @rudderstack/analytics-js, each bundled by esbuild (minified,
// code splitting) and driven by a small adapter (tests/bench/peers/*.js) against one same-origin
// loopback collector that counts requests, bytes and events. Medians of RUNS runs. Prints a
// Markdown table and writes tests/output/bench.json, with the native core's figures (criterion).
// Run: `npm run bench`
// (builds the release package first; BENCH_RUNS, BENCH_NATIVE=0 to skip criterion, BENCH_PEERS to
// run some of the peers).
import http from 'node:http';
import { readFile, mkdir, writeFile, copyFile } from 'node:fs/promises';
import { gzipSync, gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { launch } from '../e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(root, 'tests/output/bench');
const ALL_PEERS = ['meili', 'segment', 'posthog', 'amplitude', 'rudderstack'];
// BENCH_PEERS=segment,rudderstack runs a subset (and this package, which every row is compared with).
const PEERS = ['meili', ...(process.env.BENCH_PEERS?.split(',') ?? ALL_PEERS).filter((p) => p !== 'meili' && ALL_PEERS.includes(p))];
const LABELS = {
  meili: 'meili-telemetry 0.1.0',
  segment: '@segment/analytics-next 1.84.3',
  posthog: 'posthog-js 1.449.2',
  amplitude: '@amplitude/analytics-browser 2.48.1',
  rudderstack: '@rudderstack/analytics-js 3.34.1',
};
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

// 1. Bundle each adapter with the code that runs it in the page, and a host page that embeds it
// before its first render without awaiting it (the adapter's `embed`, else its `setup`), beside
// the same host page without telemetry (`none`): the critical path and the render delay.
await mkdir(out, { recursive: true });
const criticalBytes = {};
for (const peer of [...PEERS, 'none']) {
  const render = path.join(out, `${peer}-render.js`);
  const adapter = JSON.stringify(path.join(root, 'tests/bench/peers', `${peer}.js`));
  await writeFile(render, `${peer === 'none' ? '' : `import * as adapter from ${adapter};
const collector = new URLSearchParams(location.search).get('collector');
try { Promise.resolve((adapter.embed ?? adapter.setup)(collector)).catch(() => {}); } catch {}
`}document.body.append(Object.assign(document.createElement('p'), { id: 'app', textContent: 'rendered' }));
window.renderedAt = performance.now();
`);
  const { metafile } = await esbuild.build({
    entryPoints: [render], bundle: true, minify: true, splitting: true, format: 'esm', platform: 'browser', metafile: true,
    target: 'es2022', outdir: path.join(out, `${peer}-render`), logLevel: 'error', nodePaths: [path.join(root, 'node_modules')],
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  // The entry and what it imports statically: all a host loads before it can render.
  const hostEntry = Object.keys(metafile.outputs).find((file) => metafile.outputs[file].entryPoint);
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const { path: next, kind } of metafile.outputs[file].imports) if (kind === 'import-statement' && metafile.outputs[next]) walk(next);
  };
  walk(hostEntry);
  criticalBytes[peer] = 0;
  for (const file of seen) criticalBytes[peer] += gzipSync(await readFile(path.resolve(file)), { level: 9 }).length;
  if (peer === 'none') continue;
  const entry = path.join(out, `${peer}-entry.js`);
  await writeFile(entry, `import { setup } from ${JSON.stringify(path.join(root, 'tests/bench/peers', `${peer}.js`))};
window.runBench = async ({ calls, collector, warmup = 1000 }) => {
  const heap = () => performance.memory?.usedJSHeapSize ?? 0;
  const adapter = await setup(collector);
  const readyMs = performance.now();
  for (let i = 0; i < warmup; i += 1) adapter.track(i);
  globalThis.gc?.(); globalThis.gc?.();
  const heapBefore = heap();
  const started = performance.now();
  for (let i = 0; i < calls; i += 1) adapter.track(i);
  const elapsed = performance.now() - started;
  await new Promise((r) => setTimeout(r, 200));
  globalThis.gc?.(); globalThis.gc?.();
  const heapGrowth = heap() - heapBefore;
  await adapter.flush();
  await new Promise((r) => setTimeout(r, adapter.settleMs));
  return { readyMs, usPerCall: (elapsed * 1000) / calls, heapGrowth, recorded: calls + warmup };
};
window.benchLoaded = true;
`);
  await esbuild.build({
    entryPoints: [entry], bundle: true, minify: true, splitting: true, format: 'esm', platform: 'browser',
    target: 'es2022', outdir: path.join(out, peer), logLevel: 'error', nodePaths: [path.join(root, 'node_modules')],
    define: { 'process.env.NODE_ENV': '"production"' },
  });
}
await copyFile(path.join(root, 'pkg/meili_telemetry_bg.wasm'), path.join(out, 'meili/meili_telemetry_bg.wasm'));
await copyFile(path.join(root, 'pkg/meili_telemetry_bg.wasm'), path.join(out, 'meili-render/meili_telemetry_bg.wasm'));

// 2. One origin: the bundles, a blank page per peer, and the counting collector.
const counts = new Map();
const count = (key) => {
  if (!counts.has(key)) counts.set(key, { requests: 0, bytes: 0, events: 0 });
  return counts.get(key);
};
/** Recorded calls a body carries: one per event, or for an aggregate the calls it summarizes. */
function eventsIn(body) {
  const calls = (events) => events.reduce((n, e) => n + (e?.properties?.requests?.total_received ?? 1), 0);
  try {
    const json = JSON.parse(body);
    if (Array.isArray(json)) return calls(json);
    if (Array.isArray(json.batch)) return calls(json.batch);
    if (Array.isArray(json.events)) return calls(json.events);
    if (Array.isArray(json.data)) return calls(json.data);
    return 1;
  } catch {
    return 0;
  }
}
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': '*' };
  if (req.method === 'OPTIONS') { res.writeHead(204, cors); return res.end(); }
  const collected = /^\/c\/([^/]+)\//.exec(url.pathname);
  if (collected) {
    const raw = Buffer.concat(chunks);
    const c = count(collected[1]);
    c.requests += 1;
    c.bytes += raw.length + Buffer.byteLength(url.search);
    let text = raw.toString('utf8');
    if (req.headers['content-encoding'] === 'gzip') text = gunzipSync(raw).toString('utf8');
    c.events += eventsIn(text);
    res.writeHead(200, { ...cors, 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ success: true, status: 1, code: 200, events_ingested: 1 }));
  }
  if (url.pathname.startsWith('/render/')) {
    const peer = url.pathname.slice(8);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    return res.end(`<!doctype html><meta charset=utf-8><script type=module src="/bench/${peer}-render/${peer}-render.js"></script>`);
  }
  if (url.pathname.startsWith('/run/')) {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    return res.end(`<!doctype html><meta charset=utf-8><script type=module src="/bench/${url.pathname.slice(5)}/${url.pathname.slice(5)}-entry.js"></script>`);
  }
  const file = path.join(out, path.normalize(url.pathname.replace(/^\/bench\//, '/')));
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404, cors);
    res.end('{}');
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// 3. Drive each peer in Chromium.
const browser = await launch(['--enable-precise-memory-info', '--js-flags=--expose-gc']);
/** One page of `peer` making `calls` calls. With `limitMs`, a run that has not finished by then is
 * stopped and reported as crashed (a tab that thrashes at its heap limit may never return). */
async function run(peer, calls, key, limitMs = 0) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const fetched = new Map();
  page.on('response', async (response) => {
    const url = response.url();
    if (url.startsWith(`${origin}/bench/`) || url.startsWith(`${origin}/run/`)) {
      try { fetched.set(url, await response.body()); } catch { /* a body not kept */ }
    }
  });
  await page.goto(`${origin}/run/${peer}`);
  await page.waitForFunction(() => window.benchLoaded === true, null, { timeout: 30_000 });
  let result;
  try {
    const measured = page.evaluate((opts) => window.runBench(opts), { calls, collector: `${origin}/c/${key}` });
    let timer;
    const limit = new Promise((_, reject) => {
      if (limitMs) timer = setTimeout(() => reject(new Error(`did not finish within ${Math.round(limitMs / 1000)} s`)), limitMs);
    });
    try {
      result = await Promise.race([measured, limit]);
    } finally {
      clearTimeout(timer);
      measured.catch(() => {}); // settled by closing the context below when it was cut short
    }
  } catch (error) {
    // A peer that brings the tab down under the load must show it, not stop the comparison.
    result = { readyMs: NaN, usPerCall: NaN, heapGrowth: NaN, recorded: calls + 1000, crashed: String(error.message).split('\n')[0] };
    console.error(`${peer} (${calls} calls): ${result.crashed}`);
  }
  const files = [...fetched.entries()].filter(([url]) => url.includes('/bench/'));
  result.downloadRaw = files.reduce((n, [, body]) => n + body.length, 0);
  result.downloadGzip = files.reduce((n, [, body]) => n + gzipSync(body, { level: 9 }).length, 0);
  result.wire = { ...count(key) };
  await context.close();
  return result;
}
/** ms from navigation to the host's first render of `peer`'s render page (`none`: no telemetry). */
async function renderedAt(peer) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/render/${peer}?collector=${encodeURIComponent(`${origin}/c/render-${peer}`)}`);
  const at = await page.waitForFunction(() => window.renderedAt, null, { timeout: 30_000 }).then((handle) => handle.jsonValue());
  await context.close();
  return at;
}
/** Render delays: RENDER_RUNS pairs, each peer's page against the page without telemetry. */
const RENDER_RUNS = Number(process.env.BENCH_RENDER_RUNS ?? 15);
const renderDelay = {};
const median = (values) => { const s = [...values].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };
for (const peer of PEERS) {
  const delays = [];
  for (let r = 0; r < RENDER_RUNS; r += 1) delays.push((await renderedAt(peer)) - (await renderedAt('none')));
  renderDelay[peer] = median(delays);
}
const results = {};
for (const peer of PEERS) {
  const small = [];
  const large = [];
  for (let r = 0; r < RUNS; r += 1) {
    small.push(await run(peer, 10_000, `${peer}-small-${r}`));
    large.push(await run(peer, 100_000, `${peer}-large-${r}`));
  }
  results[peer] = {
    downloadRaw: median(small.map((s) => s.downloadRaw)),
    downloadGzip: median(small.map((s) => s.downloadGzip)),
    readyMs: median(small.map((s) => s.readyMs)),
    usPerCall10k: median(small.map((s) => s.usPerCall)),
    usPerCall100k: median(large.map((s) => s.usPerCall)),
    heapGrowth100k: median(large.map((s) => s.heapGrowth)),
    requests100k: median(large.map((s) => s.wire.requests)),
    bytes100k: median(large.map((s) => s.wire.bytes)),
    eventsArrived100k: median(large.map((s) => s.wire.events)),
    eventsRecorded100k: large[0].recorded,
    crashed100k: large.filter((l) => l.crashed).length,
    criticalPathGzip: criticalBytes[peer],
    renderDelayMs: renderDelay[peer],
  };
  console.error(`${peer}: done`);
}
// 1,000,000 calls, once per SDK, for the heap they leave behind: every SDK whose 100,000-call runs
// say it would finish within MILLION_LIMIT_S (µs per call at 100k = seconds for a million); the
// others are reported as not run, with the time they would take.
const MILLION_LIMIT_S = 600;
for (const peer of PEERS) {
  const r = results[peer];
  if (Number.isNaN(r.usPerCall100k) || r.usPerCall100k > MILLION_LIMIT_S) {
    r.million = { notRun: Number.isNaN(r.usPerCall100k) ? 'crashed at 100,000' : `about ${Math.round(r.usPerCall100k / 60)} min` };
    continue;
  }
  // Twice the predicted time, plus two minutes for flushing and settling.
  const m = await run(peer, 1_000_000, `${peer}-million`, (2 * r.usPerCall100k + 120) * 1000);
  r.million = m.crashed ? { crashed: m.crashed } : { usPerCall: m.usPerCall, heapGrowth: m.heapGrowth };
  console.error(`${peer}: 1,000,000 calls done`);
}
await browser.close();
server.close();

// 4. Native figures of the Rust core (criterion): observed searches per second on one core.
let native = null;
if (process.env.BENCH_NATIVE !== '0') {
  const text = execFileSync('cargo', ['bench', '-q', '--bench', 'aggregation', '--', 'observe a search request'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const thrpt = /thrpt:\s+\[[^\]]*?([\d.]+) (K|M)elem\/s ([\d.]+) (K|M)elem\/s/.exec(text);
  if (thrpt) native = { searchesPerSecond: Math.round(Number(thrpt[3]) * (thrpt[4] === 'M' ? 1e6 : 1e3)) };
}
const meiliMessages = results.meili.requests100k ? 1 : 0;
results.native = { ...native, bytesPerAggregate: meiliMessages ? Math.round(results.meili.bytes100k / meiliMessages) : null };

// 5. Report.
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const rows = PEERS.map((p) => {
  const r = results[p];
  const crashed = r.crashed100k ? ` (the tab crashed in ${r.crashed100k} of ${RUNS} runs)` : '';
  const m = r.million;
  const cutShort = (reason) => (/did not finish/.test(reason) ? reason : 'the tab crashed');
  const heap1M = m.notRun ? `not run (${m.notRun})` : m.crashed ? cutShort(m.crashed) : kb(m.heapGrowth);
  return `| ${LABELS[p]} | ${kb(r.criticalPathGzip)} | ${r.renderDelayMs.toFixed(1)} ms | ${kb(r.downloadGzip)} (${kb(r.downloadRaw)} raw) | ${r.readyMs.toFixed(0)} ms | ${r.usPerCall10k.toFixed(2)} / ${Number.isNaN(r.usPerCall100k) ? 'crashed' : r.usPerCall100k.toFixed(2)} µs | ${Number.isNaN(r.heapGrowth100k) ? '–' : kb(r.heapGrowth100k)} / ${heap1M} | ${r.requests100k} / ${kb(r.bytes100k)} | ${r.eventsArrived100k} of ${r.eventsRecorded100k}${crashed} |`;
});
const table = [
  `Chromium ${browser.version?.() ?? ''}, medians of ${RUNS} runs, ${new Date().toISOString().slice(0, 10)}`,
  '',
  '| SDK | critical path (gzip -9) | first-render delay | download (gzip -9) | ready | µs per call (10k / 100k) | heap after 100k / 1M | requests / bytes for 100k | events arrived |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Critical path: the host entry and what it imports statically, gzip -9 (the same host page without telemetry: ${kb(criticalBytes.none)}). First-render delay: ms from navigation to the first render, against the same page without telemetry, median of ${RENDER_RUNS} pairs; telemetry set up before the render and not awaited.`,
  ...PEERS.filter((p) => results[p].million.usPerCall).map((p) => `${LABELS[p]} over 1,000,000 calls: ${results[p].million.usPerCall.toFixed(2)} µs per call.`),
  native?.searchesPerSecond ? `Native core (criterion, one core, built at opt-level 3 as a server builds it): ${native.searchesPerSecond.toLocaleString('en')} observed searches per second; ${results.native.bytesPerAggregate} bytes on the wire per aggregate (batch included).` : '',
].join('\n');
await writeFile(path.join(root, 'tests/output/bench.json'), JSON.stringify(results, null, 2));
console.log(table);
