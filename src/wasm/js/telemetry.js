// The public JS API of meili-telemetry: a `Telemetry` class over the wasm engine.
//
// This layer loads the WebAssembly module once, on first use, and guarantees the host page two
// things the engine cannot guarantee alone: creation is async (the module must be fetched and
// compiled), and no recording or reading method ever throws — whatever happens inside, the
// caller gets a value back.

import { instrumentFetch } from './instrument.js';
import { startDelivery } from './delivery.js';

const CONSTRUCT = Symbol('meili-telemetry construct');
/** Longest request `record` accepts, as JSON text (document payloads are never needed). */
const MAX_REQUEST_CHARS = 4 << 20;

/** Builds the API over a loader and the wasm-bindgen module (browser and Node differ only in how
 * the `.wasm` bytes are obtained). */
export function defineApi(loadModule, wasm) {
  let loading;
  const ready = () => {
    loading ??= Promise.resolve()
      .then(loadModule)
      .catch((cause) => {
        loading = undefined; // a later call may retry (e.g. after a network blip)
        throw new Error(`meili-telemetry: the WebAssembly module could not be loaded: ${cause?.message ?? cause}`, { cause });
      });
    return loading;
  };

  const internal = (cause) => ({ kind: 'internal', message: `meili-telemetry internal error: ${cause?.message ?? cause}` });

  /** The response body fields the core reads (hits and other documents are never needed). */
  let responseFields;
  /** `request` with its response body cut down to those fields (the rest is never serialized);
   * `request` itself when its body holds nothing else (no copy to make). One pass over the body. */
  const withoutUnreadFields = (request) => {
    const response = request?.response;
    const body = response?.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return request;
    responseFields ??= new Set(wasm.responseFields());
    const kept = {};
    let unread = false;
    for (const key in body) {
      if (!responseFields.has(key)) unread = true;
      else if (Object.hasOwn(body, key)) kept[key] = body[key];
    }
    return unread ? { ...request, response: { ...response, body: kept } } : request;
  };

  class Telemetry {
    #engine;
    #delivery;

    /** Use `await Telemetry.create(config)`. */
    constructor(token, engine, delivery) {
      if (token !== CONSTRUCT) {
        throw new Error('meili-telemetry: use `await Telemetry.create({ endpoint, writeKey })` to create an instance');
      }
      this.#engine = engine;
      this.#delivery = delivery;
    }

    /** Loads the module if needed and creates an instance. Rejects with an `Error` that says what
     * to fix when the configuration is invalid. */
    static async create(config) {
      await ready();
      const engine = await wasm.Telemetry.create(config);
      const delivery = startDelivery(engine, config);
      if (!engine.consent.enabled) delivery.purge();
      return new Telemetry(CONSTRUCT, engine, delivery);
    }

    /** Records one call of a catalog event. Returns `undefined` when accepted, else a
     * `{ kind, message }` error; never throws. */
    track(event, properties) {
      try {
        return this.#engine.track(event, properties) ?? undefined;
      } catch (cause) {
        return internal(cause);
      }
    }

    /** Records `Dashboard Opened`: the dashboard's version and the browser's coarse traits (core
     * count and memory buckets, OS and engine families; never the user-agent string). Never throws. */
    recordOpened(dashboardVersion) {
      try {
        return this.#engine.recordOpened(dashboardVersion) ?? undefined;
      } catch (cause) {
        return internal(cause);
      }
    }

    /** Records one raw Meilisearch request and its response, `{ method, path, query?, headers?,
     * body?, response?: { status, body?, durationMs?, error? } }`: the event and its properties
     * are derived from it as the server derives them. Only the response fields the derivations
     * read are serialized (a page of hits costs nothing). Returns `undefined` when accepted (or
     * when the route feeds no event), else a `{ kind, message }` error; never throws. */
    record(request) {
      let json;
      try {
        json = JSON.stringify(withoutUnreadFields(request));
      } catch (cause) {
        this.#engine.countMalformed();
        return { kind: 'malformed_input', message: `meili-telemetry: the request could not be serialized: ${cause?.message ?? cause}` };
      }
      if (typeof json !== 'string' || json.length > MAX_REQUEST_CHARS) {
        this.#engine.countMalformed();
        return { kind: 'malformed_input', message: `meili-telemetry: a request must be an object of at most ${MAX_REQUEST_CHARS} characters of JSON` };
      }
      try {
        return this.#engine.recordJson(json) ?? undefined;
      } catch (cause) {
        return internal(cause);
      }
    }

    /** A fetch-shaped wrapper that records every request made through it to the Meilisearch
     * instance at `options.host` (default: this page's origin) and returns exactly what `fetchImpl`
     * returns. Install it once, e.g. `window.fetch = telemetry.instrumentFetch(window.fetch.bind(window), { host })`.
     * Throws an `Error` only for a wrong argument, never on a request. */
    instrumentFetch(fetchImpl, options) {
      return instrumentFetch((request) => this.record(request), fetchImpl, options);
    }

    /** Sends everything recorded so far. Always resolves, with `{ delivered, attempts, status, error }`. */
    async flush() {
      try {
        return await this.#delivery.flush();
      } catch (cause) {
        return { delivered: 0, attempts: 0, status: null, error: internal(cause).message };
      }
    }

    /** Whether collection is on, and why: `{ enabled, reason, error }`. */
    get consent() {
      try {
        return this.#engine.consent;
      } catch {
        return { enabled: false, reason: 'internal', error: 'the consent state could not be read' };
      }
    }

    /** The user opts out: remembered, collection stops, everything kept is removed. Never throws. */
    optOut() {
      try {
        const state = this.#engine.optOut();
        this.#delivery.purge();
        return state;
      } catch (cause) {
        return { changed: false, enabled: false, reason: 'internal', error: internal(cause).message };
      }
    }

    /** The user opts in: remembered; collection starts clean unless the server keeps it off. Never throws. */
    optIn() {
      try {
        return this.#engine.optIn();
      } catch (cause) {
        return { changed: false, enabled: false, reason: 'internal', error: internal(cause).message };
      }
    }

    /** Asks the collector to delete everything stored for this installation (also while off).
     * Always resolves, with `{ status, error, instanceUid }`. */
    async requestDeletion() {
      try {
        const request = this.#engine.deletionRequest();
        let status = null;
        try {
          const response = await fetch(request.url, { method: 'POST', headers: new Headers(request.headers), body: request.body, mode: 'cors', credentials: 'omit' });
          status = response.status;
        } catch {
          status = null; // no answer: the UID is kept so the request can be retried
        }
        const result = this.#engine.deletionAnswered(status ?? 0);
        if (result.status >= 200 && result.status < 300) this.#delivery.purge();
        return result;
      } catch (cause) {
        return { status: null, error: internal(cause).message, instanceUid: this.instanceUid };
      }
    }

    /** Exactly what the next send would carry, `{ batch: [...] }`, before it leaves. */
    pending() {
      try {
        return this.#engine.pending();
      } catch {
        return { batch: [] };
      }
    }

    /** Milliseconds until the next interval send, or `null` when nothing is waiting (or off). */
    get nextSendInMs() {
      try {
        return this.#engine.nextSendInMs ?? null;
      } catch {
        return null;
      }
    }

    /** This installation's anonymous ID. */
    get instanceUid() {
      try {
        return this.#engine.instanceUid;
      } catch {
        return '';
      }
    }

    /** Counters: recorded, rejected by kind, delivered, failed uploads, dropped. */
    stats() {
      try {
        return { ...this.#engine.stats(), storageFailures: this.#delivery.counters.storageFailures };
      } catch {
        return null;
      }
    }

    /** Stops the background sender (timers and page listeners); recording still works and
     * `flush()` still sends. */
    close() {
      this.#delivery.stop();
    }
  }

  return { Telemetry, ready };
}

/** The metric catalog: every event and property that may ever be sent, as
 * `{ events: [{ name, kind, origin, description, trigger, properties: [{ path, type, … }] }] }`.
 * Loaded on first call (a separate module, so pages that never ask do not download it); each call
 * returns a fresh copy. */
export async function catalog() {
  const { CATALOG_JSON } = await import('./catalog.js');
  return JSON.parse(CATALOG_JSON);
}
