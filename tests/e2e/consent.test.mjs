// Consent end to end, in both engines (Chromium through Playwright; Firefox through WebDriver
// with `MEILI_E2E_BROWSER=firefox`), against the scriptable loopback collector as request log:
// Global Privacy Control and Do Not Track, each set the way the engine sets it (Firefox's own
// preferences; in Chromium, which has no such setting headless, the navigator fields a page
// would see), mean nothing recorded, nothing kept and no request; opting out mid-session means
// what was recorded is never sent and only the choice is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loopbackSuite, openPage, createIn, recordIn, FIREFOX } from './harness.mjs';

const suite = loopbackSuite();
const { channel, received } = suite;

/** A context whose pages carry `signal` (`gpc` or `dnt`). */
async function signalling(signal) {
  if (FIREFOX) {
    const prefs = signal === 'gpc'
      ? { 'privacy.globalprivacycontrol.enabled': true }
      : { 'privacy.donottrackheader.enabled': true };
    return suite.browser.newContext({ prefs });
  }
  const context = await suite.browser.newContext();
  await context.addInitScript(signal === 'gpc'
    ? () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })
    : () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }));
  return context;
}

const storedKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('meili-telemetry')).sort());

for (const [signal, reason] of [['gpc', 'global_privacy_control'], ['dnt', 'do_not_track']]) {
  test(`${signal.toUpperCase()}: nothing recorded, nothing kept, no request`, async () => {
    const endpoint = channel(signal);
    const context = await signalling(signal);
    const page = await openPage(context, suite.site);
    await createIn(page, endpoint);
    const consent = await page.evaluate(() => window.t.consent);
    assert.equal(consent.enabled, false);
    assert.equal(consent.reason, reason);
    await recordIn(page, 5);
    await page.evaluate(() => window.t.flush());
    await page.waitForTimeout(1500);
    assert.equal(await page.evaluate(() => window.t.stats().recorded), 0, 'nothing recorded');
    assert.deepEqual(await received(endpoint), [], 'no request');
    assert.deepEqual(await storedKeys(page), [], 'nothing kept');
    assert.deepEqual(await page.evaluate(() => window.__errors), []);
    await context.close();
  });
}

test('opting out mid-session: what was recorded is never sent, and only the choice is kept', async () => {
  const endpoint = channel('opt-out');
  const context = await suite.browser.newContext();
  const page = await openPage(context, suite.site);
  await createIn(page, endpoint);
  await recordIn(page, 5);
  await page.evaluate(() => window.t.optOut());
  await recordIn(page, 5);
  await page.evaluate(() => window.t.flush());
  await page.waitForTimeout(2500); // past the 1 s interval: a sender would have sent by now
  assert.deepEqual(await received(endpoint), [], 'no request: nothing had been sent, so nothing is owed');
  assert.equal((await page.evaluate(() => window.t.consent)).reason, 'user_opted_out');
  assert.deepEqual(await storedKeys(page), ['meili-telemetry.consent']);
  await context.close();
});
