// Collector load benchmark: the release `meili-collector` on loopback with a fresh database, fed
// by a bounded load generator (concurrent keep-alive clients for a fixed time) with realistic
// batches — what one dashboard sends per interval: a search summary, an error summary, a
// settings summary, an identify. Prints batches/s, messages/s and p50/p99 latency.
// Run: `npm run bench:collector` (builds the binary first).
import { spawn, execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const PORT = 18000 + Math.floor(Math.random() * 1000);

execFileSync('cargo', ['build', '-q', '--release', '-p', 'meili-collector'], { cwd: root, stdio: 'inherit' });
const dir = mkdtempSync(path.join(tmpdir(), 'meili-collector-bench-'));
const server = spawn(path.join(root, 'target/release/meili-collector'), ['--listen', `127.0.0.1:${PORT}`, '--db', path.join(dir, 'db.sqlite'), '--write-key', 'bench'], { stdio: 'ignore' });

const vector = readFileSync(path.join(root, 'tests/vectors/search.expected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
const auth = `Basic ${Buffer.from('bench:').toString('base64')}`;
let counter = 0;
function batch() {
  const uid = `00000000-0000-4000-8000-${String(counter % 100000).padStart(12, '0')}`;
  const messages = vector.map((line) => ({
    type: 'track', event: line.event, properties: line.properties, userId: uid,
    messageId: `bench-${(counter += 1)}`, timestamp: line.timestamp, context: { ip: '0.0.0.0', library: { name: 'meili-telemetry', version: '0.1.0' } },
  }));
  messages.push({ type: 'identify', traits: { system: { cores: 8 } }, userId: uid, messageId: `bench-${(counter += 1)}`, context: { app: { version: '1.50.0' } } });
  return { body: JSON.stringify({ batch: messages, sentAt: new Date().toISOString() }), count: messages.length };
}
function post(body) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port: PORT, path: '/v1/batch', method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', Authorization: auth, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('error', () => resolve({ status: 0, ms: 0 }));
    req.end(body);
  });
}
async function waitUp() {
  for (let i = 0; i < 200; i += 1) {
    const ok = await new Promise((r) => http.get({ host: '127.0.0.1', port: PORT, path: '/health' }, (res) => { res.resume(); r(res.statusCode === 200); }).on('error', () => r(false)));
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the collector did not start');
}

await waitUp();
const latencies = [];
let messages = 0;
let failures = 0;
const until = Date.now() + SECONDS * 1000;
await Promise.all(Array.from({ length: CLIENTS }, async () => {
  while (Date.now() < until) {
    const { body, count } = batch();
    const { status, ms } = await post(body);
    if (status === 200) { latencies.push(ms); messages += count; } else failures += 1;
  }
}));
server.kill('SIGKILL');
rmSync(dir, { recursive: true, force: true });
latencies.sort((a, b) => a - b);
const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]?.toFixed(2);
console.log(JSON.stringify({
  seconds: SECONDS, clients: CLIENTS, messagesPerBatch: vector.length + 1,
  batchesPerSecond: Math.round(latencies.length / SECONDS), messagesPerSecond: Math.round(messages / SECONDS),
  p50Ms: Number(pick(0.5)), p99Ms: Number(pick(0.99)), failures,
}, null, 2));
