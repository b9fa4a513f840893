// Firefox for the end-to-end tests, through WebDriver (selenium-webdriver driving geckodriver and
// Debian's firefox-esr, both installed by .ci/setup), behind the part of Playwright's API the
// tests use: a browser whose contexts are WebDriver sessions (each its own profile, so its own
// storage), whose pages are the session's windows. `MEILI_E2E_BROWSER=firefox` makes the
// harness's `launch()` return it. What WebDriver classic cannot do (offline emulation, init
// scripts) throws `Unsupported`, so a test that needs it is skipped with the reason.
import { Builder } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import path from 'node:path';

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
export const GECKODRIVER = process.env.GECKODRIVER ?? path.join(process.env.HOME ?? '/root', '.cargo/bin/geckodriver');
const SCRIPT_TIMEOUT_MS = 60_000;

/** What WebDriver classic cannot do in Firefox. */
export class Unsupported extends Error {}

/** `fn(arg)` run in the page, awaited; its value (JSON-like) or its error, rethrown here. */
const EVALUATE = `
  const done = arguments[arguments.length - 1];
  const fn = new Function('return (' + arguments[0] + ')')();
  Promise.resolve().then(() => fn(arguments[1])).then(
    (value) => done({ ok: true, value: value === undefined ? null : value }),
    (error) => done({ ok: false, error: String((error && error.stack) || error) }));`;

/** One WebDriver session: a context of its own pages, commands run one at a time (each first
 * switches to its page's window). */
class Context {
  constructor(driver) {
    this.driver = driver;
    this.queue = Promise.resolve();
    this.pages = 0;
  }

  /** Runs `step(driver)` after every command already queued. */
  run(step) {
    const next = this.queue.then(() => step(this.driver));
    this.queue = next.catch(() => {});
    return next;
  }

  async newPage() {
    const handle = await this.run(async (driver) => {
      this.pages += 1;
      if (this.pages > 1) await driver.switchTo().newWindow('tab');
      return driver.getWindowHandle();
    });
    return new Page(this, handle);
  }

  async setOffline() {
    throw new Unsupported('offline emulation is not part of WebDriver classic');
  }

  close() {
    return this.run((driver) => driver.quit());
  }
}

/** One window of a session. */
class Page {
  constructor(context, handle) {
    this.context = context;
    this.handle = handle;
  }

  on(step) {
    return this.context.run(async (driver) => {
      await driver.switchTo().window(this.handle);
      return step(driver);
    });
  }

  goto(url) {
    return this.on((driver) => driver.get(url));
  }

  reload() {
    return this.on((driver) => driver.navigate().refresh());
  }

  async evaluate(fn, arg) {
    const result = await this.on((driver) => driver.executeAsyncScript(EVALUATE, fn.toString(), arg ?? null));
    if (!result.ok) throw new Error(`in the page: ${result.error}`);
    return result.value;
  }

  async waitForFunction(fn, arg, { timeout = 30_000 } = {}) {
    const until = Date.now() + timeout;
    while (Date.now() < until) {
      if (await this.evaluate(fn, arg)) return;
      await this.waitForTimeout(50);
    }
    throw new Error(`timed out after ${timeout} ms waiting for ${fn}`);
  }

  waitForTimeout(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  textContent(selector) {
    return this.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
  }

  async addInitScript() {
    throw new Unsupported('init scripts are not part of WebDriver classic');
  }

  close() {
    return this.on((driver) => driver.close());
  }
}

/** Headless Firefox ESR: `newContext({ prefs })` starts a session with a fresh profile (with
 * those preferences set, e.g. `privacy.globalprivacycontrol.enabled`). */
export function launchFirefox() {
  const contexts = new Set();
  return {
    async newContext({ prefs = {} } = {}) {
      const options = new firefox.Options().setBinary(FIREFOX).addArguments('-headless')
        .setPreference('app.update.enabled', false)
        .setPreference('network.captive-portal-service.enabled', false)
        .setPreference('browser.safebrowsing.malware.enabled', false)
        .setPreference('browser.safebrowsing.phishing.enabled', false)
        .setPreference('datareporting.policy.dataSubmissionEnabled', false);
      for (const [name, value] of Object.entries(prefs)) options.setPreference(name, value);
      const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options)
        .setFirefoxService(new firefox.ServiceBuilder(GECKODRIVER)).build();
      await driver.manage().setTimeouts({ script: SCRIPT_TIMEOUT_MS });
      const context = new Context(driver);
      const close = context.close.bind(context);
      context.close = () => { contexts.delete(context); return close().catch(() => {}); };
      contexts.add(context);
      return context;
    },
    async close() {
      await Promise.all([...contexts].map((c) => c.close()));
    },
  };
}
