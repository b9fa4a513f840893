// `npm start`: serves the dashboard (www/) and the built package (pkg/) on 127.0.0.1, plus a
// local receiving endpoint for the batches, so the whole thing is one process and one URL.
//   POST /v1/batch      Segment-compatible batch intake (HTTP Basic write key required)
//   GET  /v1/received   what arrived, newest last, for the page to show
//   GET  /vendor/…      the page's third-party modules (marked, to render What we collect)
// Port: PORT or 8787. The collector issue replaces the receiver with the real collector.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PORT = Number(process.env.PORT ?? 8787);
const HOST = '127.0.0.1';
const WRITE_KEY = process.env.MEILI_TELEMETRY_WRITE_KEY ?? 'local-dev-key';
const MAX_BODY_BYTES = 500 * 1024;
const MAX_KEPT_BATCHES = 200;
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.md': 'text/markdown; charset=utf-8' };
const SERVED = [path.join(root, 'www') + path.sep, path.join(root, 'pkg') + path.sep];
/** Third-party browser modules the page imports, served from node_modules. */
const VENDOR = { '/vendor/marked.js': path.join(root, 'node_modules/marked/lib/marked.esm.js') };
const received = [];

function staticPath(urlPath) {
  if (VENDOR[urlPath]) return VENDOR[urlPath];
  const clean = path.posix.normalize(decodeURIComponent(urlPath.split('?')[0]));
  const file = clean.startsWith('/pkg/') ? path.join(root, clean) : path.join(root, 'www', clean === '/' ? 'index.html' : clean);
  return SERVED.some((dir) => file.startsWith(dir)) ? file : null;
}

async function readBatch(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { status: 413, error: 'batch over 500 KB' };
    chunks.push(chunk);
  }
  try {
    const batch = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return Array.isArray(batch?.batch) ? { batch } : { status: 400, error: 'body must be {"batch":[…]}' };
  } catch (e) {
    return { status: 400, error: `malformed JSON: ${e.message}` };
  }
}

const server = http.createServer(async (req, res) => {
  const send = (status, body, type = 'application/json') => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  };
  try {
    if (req.method === 'POST' && req.url === '/v1/batch') {
      if (req.headers.authorization !== `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`) {
        return send(401, { error: 'missing or wrong write key' });
      }
      const { batch, status, error } = await readBatch(req);
      if (!batch) return send(status, { error });
      received.push({ receivedAt: new Date().toISOString(), batch });
      if (received.length > MAX_KEPT_BATCHES) received.shift();
      console.log(`received a batch of ${batch.batch.length} message(s): ${batch.batch.map((m) => m.event ?? m.type).join(', ')}`);
      return send(200, { success: true });
    }
    if (req.method === 'GET' && req.url === '/v1/received') return send(200, received);
    if (req.method === 'GET' && req.url === '/v1/config') return send(200, { writeKey: WRITE_KEY });
    if (req.method !== 'GET') return send(405, { error: 'method not allowed' });
    const file = staticPath(req.url);
    if (!file) return send(404, { error: 'not found' });
    return send(200, await readFile(file), TYPES[path.extname(file)] ?? 'application/octet-stream');
  } catch (error) {
    const missing = error.code === 'ENOENT' || error.code === 'EISDIR';
    return send(missing ? 404 : 500, { error: missing ? 'not found' : String(error) });
  }
});

server.listen(PORT, HOST, () => {
  console.log(`meili-telemetry dashboard: http://${HOST}:${PORT}/`);
});
