// Types of the public JS API of meili-telemetry.

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

/** A property value: only booleans, non-negative integers and closed-vocabulary strings exist. */
export type PropertyValue = boolean | number | string | string[];

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
  /** Records one call of a catalog event; `undefined` when accepted. Never throws. */
  track(event: string, properties?: Record<string, PropertyValue> | null): RecordError | undefined;
  /** Sends everything recorded so far. Always resolves. */
  flush(): Promise<FlushResult>;
  /** This installation's anonymous ID (quote it to request deletion). */
  readonly instanceUid: string;
  /** Counters: recorded, rejected by kind, delivered, failed uploads, dropped. */
  stats(): TelemetryStats;
}

/** Resolves when the WebAssembly module is loaded (optional: `Telemetry.create` waits for it). */
export declare function ready(): Promise<void>;
