// `requestDeletion()` of the built package over real HTTP: the deletion request names the
// instance UID, works while collection is off, and the UID is replaced only after a 2xx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Telemetry } from 'meili-telemetry';
import { startCollector } from '../support/loopback-collector.mjs';

let collector;
before(async () => { collector = await startCollector(); });
after(async () => { await collector?.close(); });

test('deletion by instance UID, also while off; the UID is forgotten after a 2xx only', async () => {
  const endpoint = `${collector.url}/t/node-deletion`;
  const telemetry = await Telemetry.create({ endpoint, writeKey: 'k', consent: { serverArgs: ['--no-analytics'] }, autoSend: false });
  assert.equal(telemetry.consent.enabled, false);
  const uid = telemetry.instanceUid;

  await fetch(`${endpoint}/script`, { method: 'POST', body: JSON.stringify({ status: 503 }) });
  const refused = await telemetry.requestDeletion();
  assert.equal(refused.status, 503);
  assert.match(refused.error, /kept so it can be retried/);
  assert.equal(telemetry.instanceUid, uid, 'kept after a failure');

  const done = await telemetry.requestDeletion();
  assert.deepEqual({ status: done.status, error: done.error }, { status: 200, error: null });
  assert.notEqual(done.instanceUid, uid);
  assert.equal(telemetry.instanceUid, done.instanceUid);

  const requests = await (await fetch(`${endpoint}/received`)).json();
  assert.equal(requests.length, 2);
  for (const request of requests) {
    assert.ok(request.path.endsWith('/v1/deletion'));
    assert.equal(JSON.parse(request.body).userId, uid);
  }
});
