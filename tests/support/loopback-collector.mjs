// A scriptable Segment-style collector on loopback, for the browser and Node tests.
//
// Each test uses its own channel, a path prefix: the engine is configured with the endpoint
// `http://127.0.0.1:PORT/t/<channel>` and posts to `/t/<channel>/v1/batch`.
//   POST   /t/<channel>/v1/batch    record { method, path, headers, body } and answer 200
//   POST   /t/<channel>/v1/deletion (the same, for deletion requests)
//                                   (or the next scripted answer)
//   GET    /t/<channel>/received    every request recorded on the channel, oldest first
//   POST   /t/<channel>/script      body {"status":503,"times":2,"headers":{…},"delayMs":0,
//                                   "destroy":false,"commit":false}: the next `times` batches
//                                   get that answer (after `delayMs`; `destroy` drops the
//                                   connection instead; with `commit` the batch is accepted,
//                                   status 200, before the connection drops: a reset after
//                                   commit). A `delayMs` past the client's timeout is a hang.
// Each recorded request carries `at`, `concurrent` (requests of its channel under way when it
// arrived, itself included) and, once answered, `answeredAt`.
//   *      /meili/<path>               answers like Meilisearch, from ./meilisearch-fixtures.mjs
//                                   (404 for a path it has no fixture for)
// Every answer carries CORS headers and preflights are answered, as a real collector must.
// The process exits by itself after MAX_LIFETIME_MS, so a crashed test run never leaves it behind.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { MEILISEARCH_FIXTURES } from './meilisearch-fixtures.mjs';

const MAX_LIFETIME_MS = 15 * 60 * 1000;
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export function startCollector({ port = 0, host = '127.0.0.1' } = {}) {
  const channels = new Map();
  const channel = (name) => {
    if (!channels.has(name)) channels.set(name, { received: [], script: [], underWay: 0 });
    return channels.get(name);
  };
  const cors = (req) => ({
    'Access-Control-Allow-Origin': req.headers.origin || '*',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization, Content-Encoding, X-Meilisearch-Client',
    'Access-Control-Expose-Headers': 'Retry-After',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  });
  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const reply = (status, payload, extra = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...cors(req), ...extra });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      if (req.method === 'OPTIONS') return reply(204);
      if (req.url.startsWith('/meili/')) {
        const path = req.url.slice('/meili'.length).split('?')[0];
        const fixture = MEILISEARCH_FIXTURES[`${req.method} ${path}`];
        if (!fixture) return reply(404, { message: `no fixture for ${req.method} ${path}`, code: 'not_found' });
        if (fixture.destroy) return req.socket.destroy();
        const answer = () => {
          if (res.destroyed) return;
          if (fixture.raw !== undefined) {
            res.writeHead(fixture.status, { 'Content-Type': 'text/html', ...cors(req) });
            return res.end(fixture.raw);
          }
          return reply(fixture.status, fixture.body);
        };
        if (fixture.slowMs) return setTimeout(answer, fixture.slowMs).unref();
        return answer();
      }
      const match = /^\/t\/([^/]+)(\/.*)$/.exec(req.url);
      if (!match) return reply(404, { error: 'unknown path' });
      const [, name, rest] = match;
      const ch = channel(name);
      if (req.method === 'POST' && (rest === '/v1/batch' || rest === '/v1/deletion')) {
        const next = ch.script.shift();
        const entry = {
          method: req.method,
          path: req.url,
          headers: {
            authorization: req.headers.authorization ?? null,
            'content-type': req.headers['content-type'] ?? null,
            'content-encoding': req.headers['content-encoding'] ?? null,
            referer: req.headers.referer ?? null,
            cookie: req.headers.cookie ?? null,
          },
          body: req.headers['content-encoding'] === 'gzip' ? gunzipSync(Buffer.concat(chunks)).toString('utf8') : body,
          status: next?.destroy && !next?.commit ? null : (next?.commit ? 200 : (next?.status ?? 200)),
          at: Date.now(),
          concurrent: (ch.underWay += 1),
          committed: Boolean(next?.commit),
        };
        ch.received.push(entry);
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          ch.underWay -= 1;
          entry.answeredAt = Date.now();
        };
        res.on('close', finish);
        const answer = () => {
          if (next?.destroy) return req.socket.destroy();
          if (next) return reply(next.status, { scripted: true }, next.headers ?? {});
          return reply(200, { success: true });
        };
        if (next?.delayMs) return setTimeout(answer, next.delayMs).unref();
        return answer();
      }
      if (req.method === 'GET' && rest === '/received') return reply(200, ch.received);
      if (req.method === 'POST' && rest === '/script') {
        try {
          const { status = 200, times = 1, headers, destroy = false, delayMs = 0, commit = false } = JSON.parse(body);
          for (let i = 0; i < times; i += 1) ch.script.push({ status, headers, destroy: destroy || commit, delayMs, commit });
          return reply(200, { scripted: times });
        } catch (e) {
          return reply(400, { error: String(e) });
        }
      }
      return reply(404, { error: 'unknown path' });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const timer = setTimeout(() => server.close(), MAX_LIFETIME_MS);
      timer.unref();
      const { port: actual } = server.address();
      resolve({
        url: `http://${host}:${actual}`,
        close: () => new Promise((done) => { clearTimeout(timer); server.closeAllConnections(); server.close(done); }),
      });
    });
  });
}

// Run directly: `node tests/support/loopback-collector.mjs [port]`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? process.env.MEILI_TEST_COLLECTOR_PORT ?? 18787);
  const { url } = await startCollector({ port });
  console.log(`loopback collector listening on ${url}`);
}
