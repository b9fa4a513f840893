// The package's `catalog()` export: the same catalog as `npm run catalog` (the committed
// www/catalog.json, itself checked current by cargo test), loaded on demand, a fresh copy per call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { catalog, Telemetry } from 'meili-telemetry';

const published = JSON.parse(await readFile(new URL('../../www/catalog.json', import.meta.url), 'utf8'));

test('catalog() is the published catalog', async () => {
  const listing = await catalog();
  assert.deepEqual(listing, published);
  const names = listing.events.map((e) => e.name);
  assert.ok(names.includes('Documents Searched POST'));
  assert.ok(names.includes('Identify'));
  const paths = new Set(listing.events.filter((e) => e.origin === 'server').flatMap((e) => e.properties.map((p) => p.path)));
  assert.ok(paths.size >= 230, `${paths.size} distinct server paths`);
});

test('each call returns a copy the host may change freely', async () => {
  const first = await catalog();
  first.events.length = 0;
  const second = await catalog();
  assert.equal(second.events.length, published.events.length);
});

test('what catalog() lists is what track() accepts', async () => {
  const telemetry = await Telemetry.create({ endpoint: 'http://127.0.0.1:9', writeKey: 'k' });
  const { events } = await catalog();
  const opened = events.find((e) => e.name === 'Dashboard Opened');
  const os = opened.properties.find((p) => p.path === 'browser.os_family');
  const bag = Object.fromEntries(
    opened.properties
      .filter((p) => !['pipeline'].includes(p.merge))
      .map((p) => [p.path, JSON.parse(p.example)]),
  );
  assert.equal(telemetry.track('Dashboard Opened', bag), undefined);
  for (const value of os.values) {
    assert.equal(telemetry.track('Dashboard Opened', { ...bag, 'browser.os_family': value }), undefined, value);
  }
  assert.equal(telemetry.track('Dashboard Opened', { ...bag, 'browser.os_family': 'beos' })?.kind, 'outside_vocabulary');
  assert.equal(telemetry.track('Not In The Catalog', {})?.kind, 'unknown_event');
});
