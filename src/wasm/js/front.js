// The front of meili-telemetry: all of the package that sits on the host's critical path. It
// answers at once and never throws; the engine (the WebAssembly core and the sender, a separate
// chunk) is fetched when the page is idle, or as soon as a call needs an answer only the engine
// has. Until then calls are kept, in order, with the time they were made, and replayed into the
// engine once it is ready. If the engine cannot load, the host notices nothing: the fetch wrapper
// passes every request through, every method answers its documented shape, `ready` resolves
// `{ loaded: false, error }`, and nothing is ever sent.
//
// Written as closures rather than a class with private fields: the dashboards that embed it
// build for es2020, where private fields are rewritten into much larger code; its budget is
// 2 KB gzip (tests/js/size-budget.test.mjs).

import { instrumentFetch } from './instrument.js';
import { zeroStats } from './core-data.js';

/** Calls kept while the engine loads. The dashboard makes one request per keystroke and a few at
 * start, so a minute of typing on a slow network stays far below; the bound keeps a page whose
 * engine never arrives from growing without end. Past it, new calls are dropped and counted. */
const MAX_EARLY_CALLS = 1000;
/** The JSON text those calls may hold in all (UTF-16 units): the same bound in memory. */
const MAX_EARLY_CHARS = 4 << 20;
/** What an observed response of unknown length counts for against `MAX_EARLY_CHARS` while its
 * unread clone waits for the engine (so at most 64 of them). */
const EARLY_UNKNOWN_CHARS = 64 << 10;
/** An engine that has not loaded after this long counts as failed (`loadTimeoutMs`, at most
 * `MAX_LOAD_TIMEOUT_MS`, as the engine checks). */
const LOAD_TIMEOUT_MS = 30_000;
const MAX_LOAD_TIMEOUT_MS = 600_000;
/** The longest the idle callback may wait once the page has loaded. */
const IDLE_TIMEOUT_MS = 2_000;

const PREFIX = 'meili-telemetry: ';

/** Runs `start` once the page has loaded and is idle. */
function whenIdle(start) {
  const idle = () => (globalThis.requestIdleCallback ? requestIdleCallback(start, { timeout: IDLE_TIMEOUT_MS }) : setTimeout(start, 1));
  if (globalThis.document && document.readyState !== 'complete') addEventListener('load', idle, { once: true });
  else idle();
}

/** The public API over `loadEngine(signal)`, which resolves to the engine's class. */
export function defineFront(loadEngine) {
  /** One instance, answering at once; it loads the engine now (`eager`) or when the page is idle,
   * and replays the kept calls into it. */
  function instance(config, eager) {
    let engine = null;
    let failure = null;
    let loading = null;
    let closed = false;
    let early = [];
    let earlyChars = 0;
    const counts = { replayed: 0, overflowed: 0, dropped: 0 };
    let settle;
    const ready = new Promise((resolve) => { settle = resolve; });

    const start = () => (loading ??= (async () => {
      const limit = config?.loadTimeoutMs;
      const ms = Number.isInteger(limit) && limit > 0 && limit <= MAX_LOAD_TIMEOUT_MS ? limit : LOAD_TIMEOUT_MS; // else the engine says why
      const signal = AbortSignal.timeout(ms); // also stops a download still running by then
      let outcome = { loaded: true };
      try {
        const Engine = await Promise.race([loadEngine(signal), new Promise((_, reject) => {
          signal.onabort = () => reject(new Error(`${PREFIX}no engine after ${ms} ms`));
        })]);
        const created = Engine.create(config);
        if (closed) created.close();
        // In order, each call finished before the next (an observed request is read first), and
        // calls made meanwhile kept behind them: the engine is public only once all are in.
        for (let call; (call = early.shift()); counts.replayed++) await call(created);
        engine = created;
      } catch (error) {
        failure = error;
        counts.dropped += early.length;
        console.warn(error.message);
        outcome = { loaded: false, error };
      }
      early = [];
      settle(outcome);
      return outcome;
    })());

    /** Keeps `call(engine)` for the engine (`chars`: the text it holds); consent calls (`always`)
     * are never dropped. What a recording call returns before the engine is ready. */
    const keep = (call, chars = 0, always) => {
      if (failure) counts.dropped++;
      else if (!always && (early.length >= MAX_EARLY_CALLS || earlyChars + chars > MAX_EARLY_CHARS)) counts.overflowed++;
      else {
        early.push(call);
        earlyChars += chars;
      }
      return failure ? { kind: 'internal', message: failure.message } : undefined;
    };
    /** `engine[method]()` once the engine is ready; before, `otherwise`. */
    const ask = (method, otherwise) => (engine ? engine[method]() : otherwise);
    /** The engine's answer, after loading it if need be; `otherwise` (with the error) if it cannot load. */
    const later = async (method, otherwise) => {
      await start();
      return ask(method, { ...otherwise, error: failure?.message });
    };
    /** A recording method (`engine[method](at, ...args)`): to the engine at once, or kept with
     * the time it was made and a copy of its arguments taken then (their JSON text, which is what
     * it counts for; what cannot be copied is kept as it is, and refused the same way later). */
    const recording = (method) => (...args) => {
      const at = Date.now();
      if (engine) return engine[method](at, ...args);
      let text;
      try {
        text = JSON.stringify(args);
      } catch {
        // kept as they are
      }
      return keep((e) => e[method](at, ...(text ? JSON.parse(text) : args)), text?.length);
    };
    /** What the fetch wrapper saw: its clones read by the engine (now, or once it is ready), then
     * recorded as of its answer. An unread clone counts by its declared length. */
    const observe = (seen) => {
      const at = Date.now();
      const read = (e) => e.observe(at, seen);
      if (engine) read(engine);
      else keep(read, Number(seen.response?.headers.get('content-length')) || EARLY_UNKNOWN_CHARS);
    };
    const choose = (choice) => {
      if (engine) return engine[choice]();
      keep((e) => e[choice](), 0, true);
      start();
      return { ...telemetry.consent, changed: false };
    };

    const telemetry = {
      /** Always resolves: `{ loaded: true }`, or `{ loaded: false, error }`. */
      ready,
      /** `'loading'`, `'ready'` (collecting), `'off'` (consent says no) or `'failed'`. */
      get status() {
        return failure ? 'failed' : !engine ? 'loading' : engine.consent.enabled ? 'ready' : 'off';
      },
      track: recording('track'),
      recordOpened: recording('recordOpened'),
      record: recording('record'),
      instrumentFetch: (fetchImpl, options) => instrumentFetch(observe, fetchImpl, options, () => !failure),
      flush: () => later('flush', { delivered: 0, attempts: 0, status: null, retryInMs: null }),
      /** `reason` is `loading` until the engine is ready, `failed` if it could not load. */
      get consent() {
        return engine?.consent ?? { enabled: false, reason: telemetry.status, error: failure?.message ?? null };
      },
      optOut: () => choose('optOut'),
      optIn: () => choose('optIn'),
      requestDeletion: () => later('requestDeletion', { status: null, instanceUid: '' }),
      pending: () => ask('pending', { batch: [] }),
      get nextSendInMs() {
        return engine?.nextSendInMs ?? null;
      },
      get instanceUid() {
        return engine?.instanceUid ?? '';
      },
      stats: () => ({ ...ask('stats', zeroStats()), beforeReady: { buffered: early.length, ...counts } }),
      close() {
        closed = true;
        engine?.close();
      },
    };
    if (eager) start();
    else whenIdle(start);
    return telemetry;
  }

  return {
    /** Creates an instance at once; the engine loads when the page is idle. Never throws: an
     * invalid configuration shows in `status` and `ready`. */
    createTelemetry: (config) => instance(config),
    /** The awaited form: loads the engine now; rejects with an `Error` that says what to fix
     * when the configuration is invalid, or why the engine could not load. */
    Telemetry: {
      async create(config) {
        const telemetry = instance(config, true);
        const { error } = await telemetry.ready;
        if (error) throw error;
        return telemetry;
      },
    },
  };
}

/** The metric catalog: every event and property that may ever be sent (a separate module,
 * loaded on the first call; each call returns a fresh copy). */
export const catalog = () => import('./catalog.js').then((module) => JSON.parse(module.CATALOG_JSON));
