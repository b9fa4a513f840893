// A batch the built package really sends validates against the JSON Schema generated from the
// catalog, checked by an independent validator (Ajv, draft 2020-12); and the schema rejects what
// the catalog forbids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Telemetry } from 'meili-telemetry';
import { startCollector } from '../support/loopback-collector.mjs';

let collector;
let validate;
before(async () => {
  collector = await startCollector();
  const schema = JSON.parse(await readFile(new URL('../../www/schema/batch.schema.json', import.meta.url), 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  validate = ajv.compile(schema);
});
after(async () => { await collector?.close(); });

async function sentBatch(record) {
  const endpoint = `${collector.url}/t/schema-${Math.random().toString(36).slice(2)}`;
  const telemetry = await Telemetry.create({ endpoint, writeKey: 'k' });
  record(telemetry);
  const result = await telemetry.flush();
  assert.equal(result.error, null);
  const [request] = await (await fetch(`${endpoint}/received`)).json();
  return JSON.parse(request.body);
}

test('a real batch validates against the generated schema', async () => {
  const batch = await sentBatch((t) => {
    assert.equal(t.track('Indexes Swapped', { swap_operation_number: 2, rename_used: true }), undefined);
    assert.equal(t.track('Tasks Deleted', { filtered_by_type: true }), undefined);
    assert.equal(t.track('Dump Created'), undefined);
    assert.equal(t.track('Dashboard Opened', {
      'dashboard.version': '0.4.2', 'package.version': '0.1.0', 'browser.cores': 8,
      'browser.memory_gb': '8', 'browser.os_family': 'linux', 'browser.engine': 'chromium',
    }), undefined);
    assert.equal(t.track('Dashboard Errors', { 'errors.network': 2, 'errors.unauthorized': 1 }), undefined);
  });
  assert.equal(batch.batch.length, 5);
  assert.ok(validate(batch), JSON.stringify(validate.errors, null, 2));
});

test('the schema rejects what the catalog forbids', async () => {
  const batch = await sentBatch((t) => t.track('Indexes Swapped', { rename_used: true }));
  const mutate = (f) => { const copy = structuredClone(batch); f(copy.batch[0]); return copy; };
  const forbidden = [
    mutate((m) => { m.properties.index_name = 'movies'; }),
    mutate((m) => { m.properties.rename_used = 'yes'; }),
    mutate((m) => { m.event = 'Made Up'; }),
    mutate((m) => { m.context.ip = '203.0.113.7'; }),
    mutate((m) => { m.properties['user-agent'] = ['Mozilla/5.0 (X11; Linux x86_64)']; }),
    mutate((m) => { delete m.messageId; }),
  ];
  for (const payload of forbidden) assert.equal(validate(payload), false, JSON.stringify(payload.batch[0]));
});
