// The browser sender: the timers, locks, events and `fetch` around the core, which decides
// everything else. The core says what to send and when (`poll`, `flushNow` → send / wait /
// idle), what an answer means (`uploadFinished`), and owns every stored byte
// (`persistence::shared` in Rust): this file never reads or writes storage.
//
// - One tab sends for all: the one holding the Web Lock `meili-telemetry.sender`, for as long as
//   it lives (the next tab waiting for the lock takes over when it closes, and merges the queue
//   it left). Each page also holds `meili-telemetry.tab.<id>`, so the sender knows which pages
//   are still open (their counters are folded into the totals when they are gone).
// - The other tabs hand their sealed messages over when their interval is due; a tab whose
//   storage refuses the hand-over sends them itself.
// - Without Web Locks or without storage, a page sends its own from memory and shares nothing.
// - Hidden: the aggregates are parked, still mergeable (the interval is kept, never split).
//   Leaving (`pagehide`, once): everything is stored for the next sender; only what storage
//   refused goes out at once, as one keepalive upload.
// - Opt-out, opt-in and deletion reach every tab at once through the BroadcastChannel
//   `meili-telemetry`; a tab that does not send asks the sender to flush through it too.
// - Offline (`navigator.onLine === false`) pauses sending; the `online` event resumes it.

const SENDER_LOCK = 'meili-telemetry.sender';
const TAB_LOCK_PREFIX = 'meili-telemetry.tab.';
const CHANNEL = 'meili-telemetry';
/** The sender looks again at least this often (hand-overs from other tabs, expired waits). */
const MAX_TIMER_MS = 60_000;
const MIN_TIMER_MS = 50;
/** Most upload rounds of one turn (a backlog of 500 KB batches; the next turn carries on). */
const MAX_ROUNDS = 50;

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

const idle = () => ({ delivered: 0, attempts: 0, status: null, error: null, retryInMs: null });

/** Starts sending for `engine` (the wasm `Telemetry`), as its validated `sendOptions` say;
 * returns the controller. */
export function startDelivery(engine) {
  const options = engine.sendOptions;
  const locks = globalThis.navigator?.locks;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
  channel?.unref?.(); // in Node, never keep the process alive for telemetry
  let role = 'follower';
  let holding = false; // a follower holds messages its storage refused to take
  let timer = null;
  let running = null;
  let flushing = null;
  let stopped = false;
  let left = false;
  let flushes = 0;
  const replies = new Map();
  let release;
  const held = new Promise((resolve) => { release = resolve; });

  // The election: this page sends if the sender lock is free; else it waits for the lock (to
  // take over when the sender closes) and hands over meanwhile. Turns wait for the answer.
  let decided;
  const elected = new Promise((resolve) => { decided = resolve; });
  const becomeSender = () => {
    if (stopped) return undefined;
    engine.becomeSender();
    role = 'sender';
    decided();
    schedule(0);
    return held;
  };
  const sendAlone = () => {
    engine.sendAlone();
    role = 'alone';
    decided();
  };
  if (!engine.hasStorage || !locks?.request) {
    sendAlone();
  } else {
    locks.request(TAB_LOCK_PREFIX + engine.tabId, () => held).catch(() => {});
    locks.request(SENDER_LOCK, { ifAvailable: true }, (lock) => {
      if (lock) return becomeSender();
      decided();
      locks.request(SENDER_LOCK, becomeSender).catch(() => {});
      return undefined;
    }).catch(sendAlone);
  }

  async function upload(action, keepalive = false) {
    const headers = new Headers(action.headers);
    let body = action.body;
    if (options.gzip && typeof CompressionStream === 'function' && !keepalive) {
      body = await gzip(body);
      headers.set('Content-Encoding', 'gzip');
    }
    try {
      const response = await post({ url: action.url, headers, body }, {
        keepalive, signal: AbortSignal.timeout(options.uploadTimeoutMs),
      });
      return { status: response.status, retryAfter: response.headers.get('Retry-After') };
    } catch {
      return { status: null, retryAfter: null };
    }
  }

  /** The ids of the pages still open (their tab locks), for the sender's totals. */
  async function liveTabs() {
    try {
      const { held: locksHeld = [] } = await locks.query();
      return locksHeld.map((l) => l.name).filter((n) => n?.startsWith(TAB_LOCK_PREFIX)).map((n) => n.slice(TAB_LOCK_PREFIX.length));
    } catch {
      return undefined;
    }
  }

  /** Sends the deletion owed to a UID that sent data before collection was turned off (the
   * one request made while off), when its backoff has passed; returns the wait before the next
   * try, or null. Only the tab that sends does it; with `deleteOnOptOut: false` the UID is kept
   * for `requestDeletion()` and nothing goes by itself. */
  async function deleteOwed() {
    if (role === 'follower' || !options.deleteOnOptOut || !engine.owesDeletion) return null;
    const request = engine.pollDeletion();
    if (request) {
      const { status, retryAfter } = await upload(request);
      engine.deletionFinished(status ?? 0, retryAfter ?? undefined);
    }
    return engine.owesDeletion ? (engine.deletionRetryInMs ?? MIN_TIMER_MS) : null;
  }

  /** One turn: the owed deletion, what this page's role asks for, then the uploads the core
   * asks for. `force`: an explicit flush (sends now unless a backoff holds the outbox back).
   * Returns `{ wait, result }`. */
  async function turn(force) {
    await elected;
    const result = idle();
    let wait = Math.min(engine.flushIntervalMs || MAX_TIMER_MS, MAX_TIMER_MS);
    const deletionWait = await deleteOwed();
    if (deletionWait !== null) wait = Math.min(wait, deletionWait);
    if (!engine.consent?.enabled) return { wait, result };
    if (globalThis.navigator?.onLine === false) {
      result.error = 'offline: sending resumes when the browser is back online';
      return { wait, result };
    }
    if (role === 'follower') {
      const handed = engine.handOver(force);
      if (handed !== 'nothing') holding = handed === 'kept';
      if (!holding) return { wait, result };
    } else if (role === 'sender') {
      const live = await liveTabs();
      if (left) return { wait, result }; // the page left meanwhile: what it stored stays stored
      engine.claim(live);
    }
    for (let round = 0; round < MAX_ROUNDS && !left; round += 1) {
      const action = force && round === 0 ? engine.flushNow() : engine.poll();
      if (action?.action !== 'send') {
        if (action?.action === 'wait') wait = action.ms;
        if (force && round === 0 && action?.action === 'wait') result.retryInMs = action.ms;
        break;
      }
      const { status, retryAfter } = await upload(action);
      engine.uploadFinished(status ?? 0, retryAfter ?? undefined);
      result.attempts += 1;
      result.status = status;
      if (status >= 200 && status < 300) {
        result.delivered += action.ids.length;
      } else {
        result.error = status === null
          ? 'the collector could not be reached; the batch is kept and retried'
          : `the collector answered HTTP ${status}`;
        break;
      }
    }
    result.retryInMs ??= engine.retryInMs ?? null;
    if (result.retryInMs !== null) {
      wait = Math.min(wait, result.retryInMs);
      result.error ??= 'backing off after a failed upload: nothing is sent before retryInMs';
    }
    return { wait, result };
  }

  /** The next turn in `ms` (never with `autoSend: false`: the host sends with `flush()`). */
  function schedule(ms) {
    if (stopped || !options.autoSend) return;
    clearTimeout(timer);
    timer = setTimeout(() => { void tick(); }, Math.max(MIN_TIMER_MS, Math.min(ms, MAX_TIMER_MS)));
    timer?.unref?.(); // in Node, never keep the process alive for telemetry
  }

  /** Runs a turn unless one is under way (then shares it); reschedules after. */
  function tick(force = false) {
    running ??= turn(force)
      .catch((cause) => ({ wait: MAX_TIMER_MS, result: { ...idle(), error: `meili-telemetry internal error: ${cause?.message ?? cause}` } }))
      .then(({ wait, result }) => {
        running = null;
        schedule(wait);
        return result;
      });
    return running;
  }

  /** A follower's flush: its messages are handed over, and the sender is asked to flush. */
  function askSender() {
    const id = `${engine.tabId}.${(flushes += 1)}`;
    return new Promise((resolve) => {
      const timeout = setTimeout(() => {
        replies.delete(id);
        resolve({ ...idle(), error: 'handed over to the tab that sends, which did not answer' });
      }, options.uploadTimeoutMs + 1_000);
      replies.set(id, (result) => { clearTimeout(timeout); resolve(result); });
      channel.postMessage({ type: 'flush', id });
    });
  }

  async function flushOnce() {
    await elected;
    if (running) await running;
    if (role === 'follower' && channel && engine.consent?.enabled) {
      const handed = engine.handOver(true);
      if (handed !== 'kept') return askSender();
      holding = true;
    }
    return tick(true);
  }

  if (channel) {
    channel.onmessage = ({ data }) => {
      if (stopped || !data) return;
      if (data.type === 'choice') {
        engine.applyChoice(data.choice);
        schedule(0);
      } else if (data.type === 'identity') {
        engine.adoptIdentity(data.uid);
      } else if (data.type === 'flush' && role === 'sender') {
        void controller.flush().then((result) => channel.postMessage({ type: 'flushed', id: data.id, result }));
      } else if (data.type === 'flushed') {
        replies.get(data.id)?.(data.result);
        replies.delete(data.id);
      }
    };
  }

  const onVisibility = () => {
    if (globalThis.document?.visibilityState === 'hidden') {
      engine.park();
    } else {
      engine.shown();
      schedule(0); // the sender takes its parked aggregates back at once
    }
  };
  const onPageHide = () => {
    if (left) return;
    left = true;
    const request = engine.leave();
    if (request) {
      void upload(request, true).then(({ status, retryAfter }) => engine.uploadFinished(status ?? 0, retryAfter ?? undefined));
    }
  };
  const onPageShow = (event) => {
    if (!event.persisted) return;
    left = false;
    engine.resume();
    schedule(0);
  };
  const onOnline = () => schedule(0);
  if (options.autoSend) {
    globalThis.document?.addEventListener?.('visibilitychange', onVisibility);
    globalThis.addEventListener?.('pagehide', onPageHide);
    globalThis.addEventListener?.('pageshow', onPageShow);
    globalThis.addEventListener?.('online', onOnline);
    schedule(0);
  }

  const controller = {
    /** Sends now (an explicit flush) under the retry policy; concurrent calls share one result. */
    flush() {
      flushing ??= flushOnce()
        .catch((cause) => ({ ...idle(), error: `meili-telemetry internal error: ${cause?.message ?? cause}` }))
        .finally(() => { flushing = null; });
      return flushing;
    },
    /** Tells the other tabs of this origin (a choice, a new identity after a deletion). */
    broadcast(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // a closed channel: this page is going away
      }
    },
    /** Looks at once instead of waiting for the timer. */
    kick: () => schedule(0),
    stop() {
      stopped = true;
      clearTimeout(timer);
      release();
      channel?.close();
      globalThis.document?.removeEventListener?.('visibilitychange', onVisibility);
      globalThis.removeEventListener?.('pagehide', onPageHide);
      globalThis.removeEventListener?.('pageshow', onPageShow);
      globalThis.removeEventListener?.('online', onOnline);
    },
  };
  return controller;
}
