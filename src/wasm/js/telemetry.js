// The engine chunk's API: the wasm `Telemetry` and the sender of one instance, behind methods
// that never throw. The public API is the front's (`front.js`), which hands calls here once the
// engine is ready; recording calls may carry the time they were made (`at`, a `Date.now()`).

import { startDelivery, post } from './delivery.js';
import { readObserved } from './read.js';
import { RESPONSE_FIELDS } from './core-data.js';

/** Longest request `record` accepts, as JSON text (document payloads are never needed). */
const MAX_REQUEST_CHARS = 4 << 20;
const responseFields = new Set(RESPONSE_FIELDS.split(' '));

/** `request` with its response body cut down to the fields the derivations read (a page of hits
 * is never serialized); `request` itself when its body holds nothing else. */
function withoutUnreadFields(request) {
  const response = request?.response;
  const body = response?.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return request;
  const kept = {};
  let unread = false;
  for (const key in body) {
    if (!responseFields.has(key)) unread = true;
    else if (Object.hasOwn(body, key)) kept[key] = body[key];
  }
  return unread ? { ...request, response: { ...response, body: kept } } : request;
}


/** `config` with the consent the serving page carries (`<meta name="meili-telemetry-consent"
 * content="off">`, rendered by the Rust crate's `consent::page_meta`) unless the host said; read when the engine is created. */
function withPageConsent(config) {
  const consent = config?.consent ?? {};
  if (globalThis.document?.querySelector('meta[name=meili-telemetry-consent]')?.content !== 'off'
    || typeof consent !== 'object' || consent.serverAnalytics != null) return config;
  return { ...config, consent: { ...consent, serverAnalytics: false } };
}

const internal = (cause) => ({ kind: 'internal', message: `meili-telemetry internal error: ${cause?.message ?? cause}` });

/** Builds the engine's class over a loader of the wasm module and the wasm-bindgen glue
 * (browser and Node differ only in how the `.wasm` bytes are obtained). `loadEngine(signal)`
 * loads the module once and resolves to the class; a failed load may be retried. */
export function defineEngine(loadModule, wasm) {
  let loading;
  const loadEngine = (signal) => {
    loading ??= Promise.resolve()
      .then(() => loadModule(signal))
      .then(() => Engine)
      .catch((cause) => {
        loading = undefined; // a later instance may retry (e.g. after a network blip)
        throw new Error(`meili-telemetry is off on this page: the WebAssembly module could not be loaded: ${cause?.message ?? cause}`, { cause });
      });
    return loading;
  };

  class Engine {
    #wasm;
    #delivery;

    constructor(engine, delivery) {
      this.#wasm = engine;
      this.#delivery = delivery;
    }

    /** An instance over the loaded module; throws an `Error` naming what to fix when the
     * configuration is invalid. */
    static create(config) {
      const engine = wasm.Telemetry.create(withPageConsent(config));
      return new Engine(engine, startDelivery(engine));
    }

    #guard(work, fallback) {
      try {
        return work();
      } catch (cause) {
        return fallback(cause);
      }
    }

    // The recording methods take first the time the host made the call (a `Date.now()`).

    track(at, event, properties) {
      return this.#guard(() => this.#wasm.track(event, properties, at) ?? undefined, internal);
    }

    recordOpened(at, dashboardVersion) {
      return this.#guard(() => this.#wasm.recordOpened(dashboardVersion, at) ?? undefined, internal);
    }

    /** Records one raw request (`record()`), made at `at`: only the response fields some
     * derivation reads are serialized, so a page of hits costs nothing. */
    record(at, request) {
      let json;
      try {
        json = JSON.stringify(withoutUnreadFields(request));
      } catch (cause) {
        json = cause;
      }
      if (typeof json !== 'string' || json.length > MAX_REQUEST_CHARS) {
        this.#guard(() => this.#wasm.countMalformed(), () => {});
        const why = json instanceof Error ? `: ${json.message}` : '';
        return { kind: 'malformed_input', message: `meili-telemetry: a request must be an object of at most ${MAX_REQUEST_CHARS} characters of JSON${why}` };
      }
      return this.#guard(() => this.#wasm.recordJson(json, at) ?? undefined, internal);
    }

    /** Records what the fetch wrapper saw at `at`, once its clones are read (a promise). */
    async observe(at, seen) {
      const request = await readObserved(seen);
      if (request) this.record(at, request);
    }

    async flush() {
      try {
        return await this.#delivery.flush();
      } catch (cause) {
        return { delivered: 0, attempts: 0, status: null, error: internal(cause).message };
      }
    }

    get consent() {
      return this.#guard(() => this.#wasm.consent, () => ({ enabled: false, reason: 'internal', error: 'the consent state could not be read' }));
    }

    optOut() {
      return this.#guard(() => {
        const state = this.#wasm.optOut();
        this.#delivery.broadcast({ type: 'choice', choice: 'opted-out' });
        this.#delivery.kick(); // the deletion it may owe goes at once
        return state;
      }, (cause) => ({ changed: false, enabled: false, reason: 'internal', error: internal(cause).message }));
    }

    optIn() {
      return this.#guard(() => {
        const state = this.#wasm.optIn();
        this.#delivery.broadcast({ type: 'choice', choice: 'opted-in' });
        return state;
      }, (cause) => ({ changed: false, enabled: false, reason: 'internal', error: internal(cause).message }));
    }

    async requestDeletion() {
      try {
        const request = this.#wasm.deletionRequest();
        let status = null;
        try {
          status = (await post(request)).status;
        } catch {
          status = null; // no answer: the UID is kept so the request can be retried
        }
        const result = this.#wasm.deletionAnswered(status ?? 0);
        if (result.status >= 200 && result.status < 300) this.#delivery.broadcast({ type: 'identity', uid: result.instanceUid });
        return result;
      } catch (cause) {
        return { status: null, error: internal(cause).message, instanceUid: this.instanceUid };
      }
    }

    pending() {
      return this.#guard(() => this.#wasm.pending(), () => ({ batch: [] }));
    }

    get nextSendInMs() {
      return this.#guard(() => this.#wasm.nextSendInMs ?? null, () => null);
    }

    get instanceUid() {
      return this.#guard(() => this.#wasm.instanceUid, () => '');
    }

    stats() {
      return this.#guard(() => this.#wasm.stats(), () => null);
    }

    close() {
      this.#delivery.stop();
    }
  }

  return { loadEngine };
}
