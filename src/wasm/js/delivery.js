// The browser sender: the mechanics of delivery around the core's policy. The core decides what
// to send and when (`poll` → send / wait / idle) and what an answer means (`uploadFinished`);
// this file only moves bytes and state:
//
// - Storage: `localStorage` (synchronous, so it can be written during `pagehide`, when an
//   asynchronous IndexedDB transaction may never complete; the state is small and bounded).
//   `meili-telemetry.queue` is the outbox of whichever tab sends; each tab hands its sealed
//   messages over in write-once keys `meili-telemetry.handover.<tab>.<n>`, so no two tabs ever
//   rewrite the same key.
// - One sender at a time: the tab holding the Web Lock `meili-telemetry.sender` (else a lease in
//   storage) reads the queue and every hand-over, sends, and writes the queue back before letting
//   go. The queue remembers delivered `messageId`s, so a message read twice is not sent twice.
// - Offline (`navigator.onLine === false`) pauses sending; the `online` event resumes it.
// - When the page is hidden, this tab's aggregates are sealed and handed over, and sent at once
//   with `fetch(…, { keepalive: true })` when they fit in 64 KB (the collector deduplicates by
//   `messageId` should the next sender send them again).
// - Storage missing, full or throwing: delivery carries on from memory, and the failures are
//   counted; nothing is thrown into the page.

const QUEUE_KEY = 'meili-telemetry.queue';
const HANDOVER_PREFIX = 'meili-telemetry.handover.';
const LEASE_KEY = 'meili-telemetry.lease';
const LOCK_NAME = 'meili-telemetry.sender';
/** Most bytes of queued messages kept in storage (oldest dropped first, counted). */
const MAX_STORED_BYTES = 1_000_000;
/** Browsers cap the bodies of keepalive requests at 64 KB in total. */
const KEEPALIVE_LIMIT = 64 * 1024;
/** An upload that has not answered after this long counts as a network error. */
const UPLOAD_TIMEOUT_MS = 30_000;
/** The sender looks again at least this often (hand-overs from other tabs, expired waits). */
const MAX_TIMER_MS = 60_000;
const MIN_TIMER_MS = 50;
const LEASE_MS = 30_000;

function openStorage(mode) {
  if (mode === 'none') return null;
  try {
    const storage = globalThis.localStorage;
    if (!storage) return null;
    return storage;
  } catch {
    return null;
  }
}

async function gzip(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/** Sends `request` (`{ url, headers, body }`) as the collector expects from this package: with no
 * referrer (the dashboard's URL may carry an API key) and no credentials, keepalive included. */
export function post(request, init = {}) {
  return fetch(request.url, {
    method: 'POST', headers: new Headers(request.headers), body: request.body,
    mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer', ...init,
  });
}

/** Starts sending for `engine` (the wasm `Telemetry`); returns the controller. */
export function startDelivery(engine, options = {}) {
  const storage = openStorage(options.storage);
  const tab = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  let handovers = 0;
  let timer = null;
  let running = null;
  let stopped = false;
  const counters = { storageFailures: 0, uploads: 0, turns: 0 };

  const read = (key) => {
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      counters.storageFailures += 1;
      return null;
    }
  };
  const write = (key, value) => {
    if (!storage) return false;
    try {
      storage.setItem(key, value);
      return true;
    } catch {
      counters.storageFailures += 1;
      return false;
    }
  };
  const remove = (key) => {
    try {
      storage?.removeItem(key);
    } catch {
      counters.storageFailures += 1;
    }
  };
  const handoverKeys = () => {
    const keys = [];
    try {
      for (let i = 0; i < (storage?.length ?? 0); i += 1) {
        const key = storage.key(i);
        if (key?.startsWith(HANDOVER_PREFIX)) keys.push(key);
      }
    } catch {
      counters.storageFailures += 1;
    }
    return keys.sort();
  };

  async function upload(action, keepalive = false) {
    const headers = new Headers(action.headers);
    let body = action.body;
    if (options.gzip && typeof CompressionStream === 'function' && !keepalive) {
      body = await gzip(body);
      headers.set('Content-Encoding', 'gzip');
    }
    counters.uploads += 1;
    try {
      const response = await post({ url: action.url, headers, body }, {
        keepalive, signal: AbortSignal.timeout(options.uploadTimeoutMs ?? UPLOAD_TIMEOUT_MS),
      });
      return { status: response.status, retryAfter: response.headers.get('Retry-After') };
    } catch {
      return { status: null, retryAfter: null };
    }
  }

  /** Runs `turn` as the only sender, if no other tab is sending; returns whether it ran. */
  async function asSender(turn) {
    if (!storage) {
      await turn();
      return true;
    }
    if (globalThis.navigator?.locks?.request) {
      return navigator.locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => {
        if (!lock) return false;
        await turn();
        return true;
      });
    }
    const now = Date.now();
    const lease = JSON.parse(read(LEASE_KEY) ?? 'null');
    if (lease && lease.tab !== tab && lease.until > now) return false;
    write(LEASE_KEY, JSON.stringify({ tab, until: now + LEASE_MS }));
    if (JSON.parse(read(LEASE_KEY) ?? 'null')?.tab !== tab) return false;
    try {
      await turn();
    } finally {
      remove(LEASE_KEY);
    }
    return true;
  }

  /** The sender's turn: gather the stored queue and every hand-over, send what the policy says,
   * write the queue back. Returns the wait the policy asked for. */
  async function senderTurn(force) {
    let wait = MAX_TIMER_MS;
    const consumed = [];
    if (storage) {
      engine.resetOutbox();
      const queue = read(QUEUE_KEY);
      if (queue) engine.importOutbox(queue, MAX_STORED_BYTES);
      for (const key of handoverKeys()) {
        const text = read(key);
        if (text) engine.importOutbox(text, MAX_STORED_BYTES);
        consumed.push(key);
      }
      persist();
      consumed.forEach(remove);
    }
    const result = { delivered: 0, attempts: 0, status: null, error: null };
    for (let round = 0; round < 50; round += 1) {
      const action = force ? engine.pollNow() : engine.poll();
      if (action?.action !== 'send') {
        // Idle: nothing recorded yet; look again after one interval, when it would be due.
        wait = action?.action === 'wait' ? action.ms : engine.flushIntervalMs || MAX_TIMER_MS;
        break;
      }
      persist(); // the batch is stored before it leaves: a reload mid-send resends it, same ids
      const { status, retryAfter } = await upload(action);
      engine.uploadFinished(status ?? 0, retryAfter ?? undefined);
      persist();
      result.attempts += 1;
      result.status = status;
      if (status >= 200 && status < 300) {
        result.delivered += action.ids.length;
      } else {
        result.error = status === null
          ? 'the collector could not be reached; the batch is kept and retried'
          : `the collector answered HTTP ${status}`;
        wait = MIN_TIMER_MS; // the next turn asks the policy how long to back off
        break;
      }
    }
    persist(); // what `poll` sealed while backing off is stored too
    return { wait, result };
  }

  function persist() {
    if (storage && !write(QUEUE_KEY, engine.exportOutbox())) {
      // Full or throwing: the messages stay in memory, and the failure is counted.
    }
  }

  /** A tab that is not sending hands its sealed messages over when its interval is due.
   * Returns `{ text, key }` (`key` null when nothing could be stored). */
  function handOver(force) {
    const text = engine.handOver(force);
    if (!text) return null;
    if (!storage) {
      engine.importOutbox(text, MAX_STORED_BYTES);
      return { text, key: null };
    }
    handovers += 1;
    const key = `${HANDOVER_PREFIX}${tab}.${Date.now()}.${handovers}`;
    if (!write(key, text)) {
      // Storage refused: keep the messages in memory by giving them back to the outbox.
      engine.importOutbox(text, MAX_STORED_BYTES);
      return { text, key: null };
    }
    return { text, key };
  }

  function schedule(ms) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => { void tick(); }, Math.max(MIN_TIMER_MS, Math.min(ms, MAX_TIMER_MS)));
    timer?.unref?.(); // in Node, never keep the process alive for telemetry
  }

  async function tick(force = false) {
    if (running) return running;
    running = (async () => {
      let outcome = { wait: MAX_TIMER_MS, result: { delivered: 0, attempts: 0, status: null, error: null } };
      try {
        if (!engine.consent?.enabled) return outcome;
        if (globalThis.navigator?.onLine === false) {
          outcome.result.error = 'offline: sending resumes when the browser is back online';
          return outcome;
        }
        let ran = false;
        await asSender(async () => {
          ran = true;
          outcome = await senderTurn(force);
        });
        if (!ran) {
          handOver(false);
          outcome.wait = Math.min(engine.flushIntervalMs || MAX_TIMER_MS, MAX_TIMER_MS);
        }
      } catch (cause) {
        outcome.result.error = `meili-telemetry internal error: ${cause?.message ?? cause}`;
      }
      return outcome;
    })();
    try {
      const outcome = await running;
      counters.turns += 1;
      schedule(outcome.wait);
      return outcome.result;
    } finally {
      running = null;
    }
  }

  function onHidden() {
    try {
      if (!engine.consent?.enabled) return;
      const handed = handOver(true);
      if (!handed?.key) return;
      const request = engine.requestFor(handed.text);
      if (!request || request.body.length > KEEPALIVE_LIMIT) return;
      // If the page lives on (a hidden tab) and the collector took them, the hand-over is done.
      void upload(request, true).then(({ status }) => {
        if (status >= 200 && status < 300) remove(handed.key);
      });
    } catch {
      // the page is going away; what was handed over is in storage for the next sender
    }
  }

  const onVisibility = () => { if (globalThis.document?.visibilityState === 'hidden') onHidden(); };
  const onOnline = () => { void tick(); };
  if (options.autoSend !== false) {
    globalThis.addEventListener?.('pagehide', onHidden);
    globalThis.document?.addEventListener?.('visibilitychange', onVisibility);
    globalThis.addEventListener?.('online', onOnline);
    schedule(0);
  }

  return {
    /** Removes every stored queue, hand-over and lease (collection turned off). */
    purge() {
      remove(QUEUE_KEY);
      remove(LEASE_KEY);
      handoverKeys().forEach(remove);
    },
    /** Sends now (an explicit flush), as the only sender. */
    flush: async () => {
      if (running) await running.catch(() => {});
      return tick(true);
    },
    /** Looks at once instead of waiting for the timer. */
    kick: () => schedule(0),
    counters,
    stop() {
      stopped = true;
      clearTimeout(timer);
      globalThis.removeEventListener?.('pagehide', onHidden);
      globalThis.document?.removeEventListener?.('visibilitychange', onVisibility);
      globalThis.removeEventListener?.('online', onOnline);
    },
  };
}
