// The built npm package (release build: LTO + wasm-opt -Oz), imported by its name as a user
// would, against the loopback collector over real HTTP. A broken optimizer or glue fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Telemetry, createTelemetry } from 'meili-telemetry';
import { startCollector } from '../support/loopback-collector.mjs';

let collector;
before(async () => { collector = await startCollector(); });
after(async () => { await collector?.close(); });

let channels = 0;
const channel = (name) => `${collector.url}/t/${name}-${(channels += 1)}`;
const received = async (endpoint) => (await fetch(`${endpoint}/received`)).json();

test('the module loads once: instances share it and report ready', async () => {
  const endpoint = channel('node-ready');
  const [a, b] = await Promise.all([Telemetry.create({ endpoint, writeKey: 'k' }), Telemetry.create({ endpoint, writeKey: 'k' })]);
  assert.equal(a.status, 'ready');
  assert.deepEqual(await b.ready, { loaded: true });
});

test('one recorded event reaches the collector as an exact Segment batch', async () => {
  const endpoint = channel('node-one-event');
  const telemetry = await Telemetry.create({ endpoint, writeKey: 'node-key' });
  assert.match(telemetry.instanceUid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(telemetry.track('Tasks Canceled', { filtered_by_status: true }), undefined);
  assert.equal(telemetry.track('Tasks Canceled', { filtered_by_uid: true }), undefined);
  assert.equal(telemetry.track('Dump Created'), undefined);

  const result = await telemetry.flush();
  assert.deepEqual(result, { delivered: 2, attempts: 1, status: 200, error: null, retryInMs: null });

  const [request, ...rest] = await received(endpoint);
  assert.equal(rest.length, 0);
  assert.equal(request.headers.authorization, `Basic ${Buffer.from('node-key:').toString('base64')}`);
  assert.equal(request.headers['content-type'], 'application/json');
  const body = JSON.parse(request.body);
  assert.deepEqual(Object.keys(body), ['batch', 'sentAt']);
  assert.equal(body.batch.length, 2);
  const [canceled, dump] = body.batch;
  const context = { ip: '0.0.0.0', library: { name: 'meili-telemetry', version: '0.1.0' } };
  const flags = Object.fromEntries([
    'filtered_by_uid', 'filtered_by_index_uid', 'filtered_by_type', 'filtered_by_status', 'filtered_by_canceled_by',
    'filtered_by_before_enqueued_at', 'filtered_by_after_enqueued_at', 'filtered_by_before_started_at',
    'filtered_by_after_started_at', 'filtered_by_before_finished_at', 'filtered_by_after_finished_at',
  ].map((k) => [k, k === 'filtered_by_uid' || k === 'filtered_by_status']));
  assert.deepEqual(canceled, {
    type: 'track',
    event: 'Tasks Canceled',
    properties: { ...flags, 'user-agent': [], requests: { total_received: 2 } },
    userId: telemetry.instanceUid,
    messageId: canceled.messageId,
    timestamp: canceled.timestamp,
    context,
  });
  assert.deepEqual(Object.keys(canceled), ['type', 'event', 'properties', 'userId', 'messageId', 'timestamp', 'context']);
  assert.deepEqual(dump.properties, { 'user-agent': [], requests: { total_received: 1 } });
  assert.notEqual(canceled.messageId, dump.messageId);
  assert.match(body.sentAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(Date.parse(canceled.timestamp) <= Date.parse(body.sentAt));
});

/** Every option of `Telemetry.create` with the wrong values a host could pass: each must be
 * refused with an Error naming the option (its path) — never an instance that cannot send. */
const BASE = { endpoint: 'http://127.0.0.1:8787', writeKey: 'k' };
const NOT_A_BOOLEAN = ['yes', 1, 0, {}, []];
const NOT_MILLIS = ['30s', 'abc', -5, 1.5, 1e300, -1e300, true, {}, [], Number.NaN];
const WRONG_OPTIONS = {
  endpoint: [7, true, {}, [], 'localhost:8787', 'http://user:pw@host', ''],
  writeKey: [7, false, {}, ['k'], 'a:b', ''],
  flushIntervalMs: [...NOT_MILLIS, 5],
  storage: ['sessionStorage', 'LOCALSTORAGE', 5, true, {}],
  gzip: NOT_A_BOOLEAN,
  autoSend: NOT_A_BOOLEAN,
  deleteOnOptOut: NOT_A_BOOLEAN,
  uploadTimeoutMs: [...NOT_MILLIS, 0, 600_001],
  loadTimeoutMs: [...NOT_MILLIS, 0, 600_001],
  consent: ['off', 5, true, [1]],
  'consent.serverArgs': ['--no-analytics', 5, [1], [null], {}],
  'consent.noAnalyticsEnv': [5, true, {}, []],
  'consent.configFileNoAnalytics': NOT_A_BOOLEAN,
  'consent.serverAnalytics': NOT_A_BOOLEAN,
  'consent.honorBrowserSignals': NOT_A_BOOLEAN,
  retry: ['fast', 5, true],
  'retry.baseMs': [...NOT_MILLIS, 0],
  'retry.capMs': [...NOT_MILLIS, 0],
  'retry.maxAgeMs': [...NOT_MILLIS, 0],
  'retry.retryAfterCapMs': [...NOT_MILLIS, 0],
};

/** `BASE` with `path` (`consent.serverArgs`) set to `value`. */
function withOption(path, value) {
  const [head, leaf] = path.split('.');
  return leaf === undefined ? { ...BASE, [head]: value } : { ...BASE, [head]: { [leaf]: value } };
}

const escape = (text) => text.replace(/[.[\]]/g, (c) => `\\${c}`);

test('invalid configurations reject with an Error that says what to fix', async () => {
  const cases = [
    [undefined, /expects a config object/],
    [null, /expects a config object/],
    ['http://127.0.0.1:8787', /config: invalid type: string .*expected a config object/],
    [{ writeKey: 'k' }, /config\.endpoint is required/],
    [{ endpoint: 'localhost:8787', writeKey: 'k' }, /config\.endpoint: .*must start with http:\/\/ or https:\/\//],
    [{ endpoint: 'http://127.0.0.1:8787' }, /config\.writeKey is required/],
    [{ ...BASE, writeKey: 7 }, /config\.writeKey: invalid type: .*expected a string/],
    [{ ...BASE, flushIntervalMs: 5 }, /config\.flushIntervalMs: .*out of range/],
    [{ ...BASE, uploadTimeoutMs: '30s' }, /config\.uploadTimeoutMs: invalid type: string "30s", expected a whole number of milliseconds from 1 to 600000/],
    [{ ...BASE, uploadTimeoutMs: -5 }, /config\.uploadTimeoutMs: invalid value: .*-5.*expected a whole number of milliseconds from 1 to 600000/],
    [{ ...BASE, gzip: 'yes' }, /config\.gzip: invalid type: string "yes", expected a boolean/],
    [{ ...BASE, storage: 'sessionStorage' }, /config\.storage: unknown variant `sessionStorage`, expected `localStorage` or `none`/],
    [{ ...BASE, endpiont: 'x' }, /config\.endpiont: unknown field `endpiont`, expected one of `endpoint`, `writeKey`/],
    [{ ...BASE, retry: { bseMs: 1 } }, /config\.retry\.bseMs: unknown field `bseMs`, expected one of `baseMs`/],
    [{ ...BASE, consent: { serverArgs: ['meilisearch', 7] } }, /config\.consent\.serverArgs\[1\]: invalid type/],
    ...Object.entries(WRONG_OPTIONS).flatMap(([path, values]) => values.map((value) => [
      withOption(path, value), new RegExp(`config\\.${escape(path)}\\b`),
    ])),
  ];
  for (const [config, message] of cases) {
    await assert.rejects(Telemetry.create(config), (error) => {
      assert.ok(error instanceof Error, 'a real Error');
      assert.match(error.message, message, `${String(JSON.stringify(config))}: ${error.message}`);
      return true;
    });
    // The synchronous form: an instance at once, the same Error in `ready`, nothing thrown.
    const telemetry = createTelemetry(config);
    const { loaded, error } = await telemetry.ready;
    assert.equal(loaded, false);
    assert.match(error.message, message);
    assert.equal(telemetry.status, 'failed');
    assert.equal(telemetry.track('Dump Created').kind, 'internal');
    assert.equal(telemetry.stats().beforeReady.dropped, 1);
    assert.deepEqual((await telemetry.flush()).delivered, 0);
  }
});

test('recording never throws, whatever it is given', async () => {
  const telemetry = await Telemetry.create({ endpoint: channel('node-hostile'), writeKey: 'k' });
  const cyclic = { rename_used: true };
  cyclic.self = cyclic;
  const inputs = [
    [undefined, undefined], [null, null], [42, {}], [{}, {}], [Symbol('x'), 1],
    ['Indexes Swapped', cyclic], ['Indexes Swapped', 'x'.repeat(1 << 22)], ['Indexes Swapped', 12],
    ['Indexes Swapped', { rename_used: 1n }], ['Indexes Swapped', { get rename_used() { throw new Error('boom'); } }],
    ['Indexes Swapped', new Proxy({}, { ownKeys() { throw new Error('trap'); } })],
    ['Indexes Swapped', { swap_operation_number: Number.MAX_VALUE }],
    ['Indexes Swapped', { swap_operation_number: NaN }],
    ['Indexes Swapped', { index_name: 'movies' }],
  ];
  for (const [event, properties] of inputs) {
    const result = telemetry.track(event, properties);
    assert.equal(typeof result, 'object', `rejected: ${String(event)}`);
    assert.equal(typeof result.kind, 'string');
    assert.equal(typeof result.message, 'string');
  }
  const stats = telemetry.stats();
  const rejected = Object.values(stats.rejected).reduce((a, b) => a + b, 0);
  assert.equal(rejected, inputs.length);
  assert.equal(stats.recorded, 0);
  assert.equal(telemetry.track('Indexes Swapped', { rename_used: true }), undefined, 'still alive');
});

test('a collector that cannot be reached: flush resolves, the batch is kept and sent later, never inside its backoff', async () => {
  const endpoint = channel('node-later');
  const telemetry = await Telemetry.create({ endpoint, writeKey: 'k', autoSend: false, retry: { baseMs: 100, capMs: 200 } });
  await fetch(`${endpoint}/script`, { method: 'POST', body: JSON.stringify({ status: 500, times: 2 }) });
  telemetry.track('Snapshot Created');
  const first = await telemetry.flush();
  assert.equal(first.status, 500);
  assert.match(first.error, /HTTP 500/);
  let last = first;
  for (let round = 0; round < 20 && !last.delivered; round += 1) {
    const requestsBefore = (await received(endpoint)).length;
    last = await telemetry.flush();
    if (last.attempts === 0) {
      assert.ok(last.retryInMs > 0, JSON.stringify(last));
      assert.equal((await received(endpoint)).length, requestsBefore, 'nothing sent inside the backoff');
      await new Promise((resolve) => setTimeout(resolve, last.retryInMs + 5));
    }
  }
  assert.deepEqual(last, { delivered: 1, attempts: 1, status: 200, error: null, retryInMs: null });
  const ids = (await received(endpoint)).map((r) => JSON.parse(r.body).batch[0].messageId);
  assert.equal(ids.length, 3);
  assert.equal(new Set(ids).size, 1, 'every attempt carries the same messageId');
  assert.equal(telemetry.stats().failedUploads, 2);
});
