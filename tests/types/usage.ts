// Type-level tests of the published package: `tsc -p tests/types` compiles this file against
// `pkg/index.d.ts` (resolved through the package's own `exports`). Each `@ts-expect-error` line
// must fail to compile, so the generated event types really reject what the catalog rejects.
import { Telemetry, createTelemetry, catalog, type Catalog, type EventName, type RecordError, type ReadyResult } from 'meili-telemetry';

/** The synchronous form: an instance at once, its engine's outcome in `ready` and `status`. */
export async function synchronous(): Promise<boolean> {
  const telemetry: Telemetry = createTelemetry({ endpoint: 'http://127.0.0.1:8787', writeKey: 'key', loadTimeoutMs: 10_000 });
  const status: 'loading' | 'ready' | 'off' | 'failed' = telemetry.status;
  telemetry.track('Dump Created');
  const outcome: ReadyResult = await telemetry.ready;
  const early: number = telemetry.stats().beforeReady.overflowed;
  const { retryInMs } = await telemetry.flush();
  const wait: number | null = retryInMs;
  const stats = telemetry.stats();
  const scope: 'page' = stats.scope;
  const acrossPages: number | undefined = stats.totals?.sealed;
  void [wait, scope, acrossPages, stats.queued, stats.outcomesDiscarded];
  return outcome.loaded ? status !== 'failed' && early >= 0 : outcome.error instanceof Error;
}

export async function usage(): Promise<string[]> {
  const telemetry: Telemetry = await Telemetry.create({ endpoint: 'http://127.0.0.1:8787', writeKey: 'key' });

  const accepted: RecordError | undefined = telemetry.track('Dashboard Opened', {
    'dashboard.version': '0.4.2',
    'package.version': '0.1.0',
    'browser.cores': 8,
    'browser.memory_gb': '8',
    'browser.os_family': 'linux',
    'browser.engine': 'chromium',
  });
  telemetry.track('Dashboard Errors', { 'errors.network': 1 });
  telemetry.track('Dump Created');
  telemetry.track('Dump Created', null);

  // @ts-expect-error: not a catalog event
  telemetry.track('Page Viewed', {});
  // @ts-expect-error: an index name is not a declared property
  telemetry.track('Dashboard Index Switched', { index_name: 'movies' });
  telemetry.track('Dashboard Opened', {
    'dashboard.version': '0.4.2',
    'package.version': '0.1.0',
    'browser.memory_gb': '8',
    // @ts-expect-error: outside the closed vocabulary
    'browser.os_family': 'beos',
    'browser.engine': 'chromium',
  });
  // @ts-expect-error: a count is a number
  telemetry.track('Dashboard Errors', { 'errors.network': 'many' });
  // @ts-expect-error: the versions and traits of Dashboard Opened are required
  telemetry.track('Dashboard Opened', {});
  // @ts-expect-error: the pipeline sets requests.total_received, a host cannot
  telemetry.track('Dashboard Errors', { 'requests.total_received': 3 });

  const event: EventName = 'Dashboard Errors';
  const listing: Catalog = await catalog();
  const kinds: Array<'track' | 'identify'> = listing.events.map((e) => e.kind);
  const paths: string[] = listing.events.flatMap((e) => e.properties.map((p) => p.path));
  void accepted;
  void kinds;
  return [event, ...paths];
}
