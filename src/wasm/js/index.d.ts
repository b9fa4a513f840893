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
  /** How calls of one interval merge: sum, max, min, or, last, last-non-null, union, most-used, ratio, p99, derived, per-key-sum, pipeline, constant. */
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
}

/** Counters a host can show and test. */
export interface TelemetryStats {
  recorded: number;
  rejected: Record<Exclude<RecordErrorKind, 'internal'>, number>;
  delivered: number;
  failedUploads: number;
  droppedOversize: number;
  entropyUnavailable: number;
}

export declare class Telemetry {
  private constructor();
  /** Loads the WebAssembly module if needed and creates an instance. Rejects with an `Error`
   * that says what to fix when the configuration is invalid. */
  static create(config: TelemetryConfig): Promise<Telemetry>;
  /** Records one call of a catalog event; `undefined` when accepted. Never throws: an input the
   * catalog does not accept (possible from plain JS) is returned as a `RecordError` and counted. */
  track<E extends EventName>(event: E, properties?: EventProperties[E] | null): RecordError | undefined;
  /** Sends everything recorded so far. Always resolves. */
  flush(): Promise<FlushResult>;
  /** This installation's anonymous ID (quote it to request deletion). */
  readonly instanceUid: string;
  /** Counters: recorded, rejected by kind, delivered, failed uploads, dropped. */
  stats(): TelemetryStats;
}

/** Resolves when the WebAssembly module is loaded (optional: `Telemetry.create` waits for it). */
export declare function ready(): Promise<void>;
