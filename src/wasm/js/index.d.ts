// Types of the public JS API of meili-telemetry.

import type { EventName, EventProperties } from './events.js';

export type { EventName, EventProperties } from './events.js';

/** Options of `Telemetry.create`. */
export interface TelemetryConfig {
  /** The collector's base URL, e.g. "http://127.0.0.1:8787". Batches go to `<endpoint>/v1/batch`. */
  endpoint: string;
  /** The write key the collector accepts (sent as the HTTP Basic user name). */
  writeKey: string;
  /** Interval between two sends, in ms (1000 to 604800000). Default: 3600000 (1 h). */
  flushIntervalMs?: number;
  /** What decides whether collection is on (see the README's privacy section for the precedence). */
  consent?: ConsentOptions;
  /** Where the instance UID, the user's choice and the unsent queue are kept: "localStorage" (default) or "none" (memory only). */
  storage?: 'localStorage' | 'none';
  /** Compress upload bodies with gzip (`CompressionStream`, `Content-Encoding: gzip`). Default false. */
  gzip?: boolean;
  /** Send in the background: on the interval, retries after their backoff, what other tabs hand over, and on hide and unload (default true). With false only `flush()` sends. */
  autoSend?: boolean;
  /** Turning collection off after data was sent (the user's opt-out, Do Not Track, Global Privacy
   * Control) asks the collector to delete that data, retried until it answers 2xx, across reloads
   * (default true). With false the UID is kept for `requestDeletion()` only, and nothing is sent
   * by itself. */
  deleteOnOptOut?: boolean;
  /** Retry policy: backoff base and cap, maximum message age, longest Retry-After obeyed (ms). */
  retry?: { baseMs?: number; capMs?: number; maxAgeMs?: number; retryAfterCapMs?: number };
  /** An upload unanswered after this long counts as a network error (1 to 600000; default 30000). */
  uploadTimeoutMs?: number;
  /** An engine (the `.wasm` and its chunk) not loaded after this long counts as failed: the
   * instance stays inert and sends nothing (1 to 600000; default 30000). */
  loadTimeoutMs?: number;
}

/** The consent inputs a host passes (the browser's DNT/GPC and the persisted choice are read by the package). */
export interface ConsentOptions {
  /** The server's command line, e.g. ["--no-analytics"] (only that flag is read; `--no-analytics=…` is an error). */
  serverArgs?: string[];
  /** The raw MEILI_NO_ANALYTICS value: exactly "true" or "false"; anything else turns collection off and is reported. */
  noAnalyticsEnv?: string | null;
  /** `no_analytics` from the server's config file. */
  configFileNoAnalytics?: boolean | null;
  /** What the server reports: false when it runs with analytics off. */
  serverAnalytics?: boolean | null;
  /** Honour Do Not Track and Global Privacy Control (default true). */
  honorBrowserSignals?: boolean;
}

/** Why collection is on or off. */
export type ConsentReason =
  | 'invalid_server_setting'
  | 'server_flag'
  | 'server_env'
  | 'server_config_file'
  | 'server_reports_disabled'
  | 'user_opted_out'
  | 'user_opted_in'
  | 'global_privacy_control'
  | 'do_not_track'
  | 'default'
  /** Before the engine is ready (nothing is sent before then). */
  | 'loading'
  /** The engine could not load, or the configuration is invalid (`error` says which): nothing is collected. */
  | 'failed';

/** The consent state. */
export interface ConsentState {
  enabled: boolean;
  reason: ConsentReason;
  /** Why the server setting could not be read (with `invalid_server_setting`). */
  error: string | null;
}

/** Why a recording call was rejected. */
export type RecordErrorKind =
  | 'unknown_event'
  | 'unknown_property'
  | 'wrong_type'
  | 'outside_vocabulary'
  | 'missing_property'
  | 'not_recordable'
  | 'malformed_input'
  | 'internal';

/** A rejected recording call (returned, never thrown). */
export interface RecordError {
  kind: RecordErrorKind;
  message: string;
}

/** One property of the catalog, as `catalog()` lists it. */
export interface CatalogProperty {
  /** JSON path as sent (dots separate nested objects unless `literalKey`). */
  path: string;
  type: 'boolean' | 'integer' | 'number' | 'string' | 'array of strings' | 'array of integers' | 'object of counts' | 'null';
  nullable: boolean;
  /** How calls of one interval merge: sum, max, min, or, last, last-non-null, union, most-used, ratio, p99, derived, per-key-sum, distinct-count, pipeline, constant. */
  merge: string;
  /** Privacy class: boolean, count, bucketed number, closed vocabulary, version string, formatted value, constant. */
  privacy: string;
  /** The allowed strings of a closed vocabulary. */
  values?: string[];
  /** The pattern a formatted string matches. */
  pattern?: string;
  unit: string | null;
  /** The key is one literal dotted key, not nested objects. */
  literalKey: boolean;
  description: string;
  /** An example value, as JSON text. */
  example: string;
}

/** One event of the catalog. */
export interface CatalogEvent {
  name: string;
  kind: 'track' | 'identify';
  origin: 'server' | 'dashboard';
  description: string;
  trigger: string;
  properties: CatalogProperty[];
}

/** The metric catalog: everything that may ever be sent. */
export interface Catalog {
  events: CatalogEvent[];
}

/** The metric catalog (loaded on first call; each call returns a fresh copy). */
export declare function catalog(): Promise<Catalog>;

/** One raw request to the Meilisearch API and what came back, as `record()` takes it. */
export interface ObservedRequest {
  /** HTTP method; default `GET`. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | string;
  /** URL path relative to the instance, with or without its query string: `/indexes/movies/search?q=a`. */
  path: string;
  /** Query parameters (added to those of `path`). */
  query?: Record<string, string | number | boolean>;
  /** Request headers; only `X-Meilisearch-Client`, `User-Agent` and `Content-Type` are read. */
  headers?: Record<string, string>;
  /** The parsed JSON body. */
  body?: unknown;
  /** The target index did not exist yet (documents added or edited), when the host knows. */
  indexCreation?: boolean;
  /** What came back; absent when no answer came. */
  response?: {
    /** HTTP status; null when no answer came. */
    status?: number | null;
    /** The parsed JSON body (search: `processingTimeMs`, …). */
    body?: unknown;
    /** Time to the response, in ms. */
    durationMs?: number;
    /** A transport failure. */
    error?: 'timeout' | 'network' | 'invalid_json' | null;
  };
}

/** Options of `instrumentFetch`. */
export interface InstrumentOptions {
  /** The Meilisearch instance whose requests are recorded, e.g. "http://localhost:7700" (a base path is allowed). Default: the page's origin. */
  host?: string;
}

/** What `flush()` did. */
export interface FlushResult {
  /** Messages the collector acknowledged. */
  delivered: number;
  /** Upload requests made. */
  attempts: number;
  /** The last HTTP status, or null if the collector could not be reached (or nothing was sent). */
  status: number | null;
  /** Null when everything queued was delivered; else what went wrong (the batch is kept). */
  error: string | null;
  /** Milliseconds until a backoff or a `Retry-After` lets the next upload go; null when nothing
   * holds it back. A flush inside that window sends nothing and resolves at once with it. */
  retryInMs: number | null;
}

/** The counters of one page (`scope: 'page'`: they start at 0 at each load); `totals` sums
 * them over every page of this browser that kept them in storage. */
export interface TelemetryCounters {
  recorded: number;
  rejected: Record<Exclude<RecordErrorKind, 'internal'>, number>;
  /** Messages sealed from aggregates: each is then delivered once, or lost under a reason. */
  sealed: number;
  delivered: number;
  failedUploads: number;
  /** Messages lost, by reason. */
  lost: Record<'oversize' | 'too_old' | 'rejected' | 'storage_full' | 'purged_by_opt_out' | 'blocked', number>;
  /** Storage reads or writes that failed (delivery went on from memory). */
  storageFailures: number;
  entropyUnavailable: number;
  /** Recorded requests whose route feeds no event (e.g. `GET /health`). */
  ignoredRequests: number;
  /** Aggregates dropped because they emitted what the catalog forbids (a bug; always 0). */
  droppedInvalid: number;
  /** Calls and requests discarded because collection was off. */
  discardedWhileDisabled: number;
  /** Upload answers that arrived after collection was turned off (or the data deleted): discarded, nothing written. */
  outcomesDiscarded: number;
  /** Deletion requests the collector refused for good (a 4xx): given up. */
  deletionsRefused: number;
}

/** Counters a host can show and test: this page's, and `totals` over pages. */
export interface TelemetryStats extends TelemetryCounters {
  scope: 'page';
  /** Sealed messages this page holds now (waiting, retried or in flight). */
  queued: number;
  /** The counters of every page of this browser (those gone, those open, this one), kept in
   * `localStorage`; null without storage (or without Web Locks, where pages share nothing). */
  totals: TelemetryCounters | null;
  /** 1 when the stored instance UID was corrupt and replaced at start. */
  corruptUidReplaced: number;
  /** The WebAssembly module's memory, in bytes (shared by every instance; it never shrinks). */
  moduleMemoryBytes: number;
  /** The calls made before the engine was ready: `buffered` still waiting, `replayed` into the
   * engine once it was, `overflowed` past the bound (1,000 calls or 4 MiB of JSON) and dropped,
   * `dropped` because the engine could not load (calls made after that included). */
  beforeReady: { buffered: number; replayed: number; overflowed: number; dropped: number };
}
/** What `ready` resolves to. */
export type ReadyResult = { loaded: true } | { loaded: false; error: Error };

/** A telemetry instance (from `createTelemetry` or `Telemetry.create`). No method throws. Before
 * the engine is ready, recording calls are kept (in order, with their time) and replayed into it;
 * the reading methods answer empty values of their shape (`pending()` an empty batch, `stats()`
 * zeros, `instanceUid` `''`, `consent` off with reason `loading`); `flush()` and
 * `requestDeletion()` load the engine at once and wait for it. */
export interface Telemetry {
  /** Always resolves: `{ loaded: true }`, or `{ loaded: false, error }` when the engine could not
   * load (blocked file, CSP, network, timeout) or the configuration is invalid. */
  readonly ready: Promise<ReadyResult>;
  /** `loading` until the engine is ready, then `ready` (collecting) or `off` (consent says no);
   * `failed` when `ready` resolved `{ loaded: false }`. */
  readonly status: 'loading' | 'ready' | 'off' | 'failed';
  /** Records one call of a catalog event; `undefined` when accepted (or kept for the engine).
   * Never throws: an input the catalog does not accept (possible from plain JS) is returned as a
   * `RecordError` and counted. */
  track<E extends EventName>(event: E, properties?: EventProperties[E] | null): RecordError | undefined;
  /** Records `Dashboard Opened` with the dashboard's version (e.g. "0.4.2") and the browser's coarse
   * traits: core-count and memory buckets, OS and engine families — never the user-agent string. */
  recordOpened(dashboardVersion: string): RecordError | undefined;
  /** Records one raw Meilisearch request and its response; its event and properties are derived
   * as the server derives them. Of the response body only the fields the derivations read are
   * serialized (never the hits). `undefined` when accepted or when the route feeds no event. Never throws. */
  record(request: ObservedRequest): RecordError | undefined;
  /** A fetch-shaped wrapper recording every request to the instance at `options.host`; it returns
   * exactly what `fetchImpl` returns, and observes from the first request (before the engine is
   * ready). If the engine cannot load, requests pass through unseen. Throws only for a wrong argument. */
  instrumentFetch<F extends (input: any, init?: any) => Promise<any>>(fetchImpl: F, options?: InstrumentOptions): F;
  /** Sends everything recorded so far. Always resolves. */
  flush(): Promise<FlushResult>;
  /** This installation's anonymous ID (quote it to request deletion); `''` until the engine is ready. */
  readonly instanceUid: string;
  /** Whether collection is on, and why. */
  readonly consent: ConsentState;
  /** Milliseconds until the next interval send, or null when nothing is waiting (or off). */
  readonly nextSendInMs: number | null;
  /** The user opts out: remembered, collection stops at once, everything kept is removed (before
   * the engine is ready: applied, in order, as soon as it is, and it is loaded at once). */
  optOut(): ConsentState & { changed: boolean };
  /** The user opts in: remembered; collection starts clean unless the server keeps it off. */
  optIn(): ConsentState & { changed: boolean };
  /** Asks the collector to delete everything stored for this installation (also while off): the UID
   * that sent data (kept after an opt-out for this alone), else the current one; after a 2xx the UID is replaced. */
  requestDeletion(): Promise<{ status: number | null; error: string | null; instanceUid: string }>;
  /** Exactly what the next send would carry (its `sentAt` is added when sent). */
  pending(): { batch: unknown[] };
  /** This page's counters (per page and per page lifetime): recorded, rejected by kind,
   * delivered, failed uploads, lost by reason, and the calls made before the engine was ready. */
  stats(): TelemetryStats;
  /** Stops the background sender (timers, page listeners); `flush()` still sends. */
  close(): void;
}
/** Creates an instance at once (no promise, never throws); the engine — the `.wasm` and the
 * chunk around it — loads when the page is idle, or as soon as a call needs it. An invalid
 * configuration, or an engine that cannot load, shows in `status` and `ready`. */
export declare function createTelemetry(config: TelemetryConfig): Telemetry;
/** The awaited form. */
export declare const Telemetry: {
  /** Loads the engine now and creates an instance. Rejects with an `Error` that says what to fix
   * when the configuration is invalid, or why the engine could not load. */
  create(config: TelemetryConfig): Promise<Telemetry>;
};
