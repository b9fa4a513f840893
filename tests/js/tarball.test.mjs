// The package as `npm install meili-telemetry` gives it: `npm pack` of the built package (the
// build step ran before; `prepack` builds it on a clean checkout), the tarball's contents checked
// against `files`, `exports` and the types, then installed into a fresh app in a temporary folder
// (no repository path, no self-reference) where a Node consumer records a search-shaped request
// that reaches the real collector, and TypeScript consumers compile against the tarball's types
// with `moduleResolution` `bundler` and `node16`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile, mkdir } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCollector, startRealCollector, eventually, READ } from '../e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
/** Exactly what the tarball holds: the built package, its license, readme and manifest, and the
 * documents the readme links to (the reference, What we collect, the batch's JSON Schema). */
const EXPECTED_FILES = [
  'LICENSE', 'README.md', 'package.json',
  'pkg/catalog.js', 'pkg/engine.js', 'pkg/events.d.ts', 'pkg/index.d.ts', 'pkg/index.js',
  'pkg/meili_telemetry_bg.wasm', 'pkg/node.js',
  ...readdirSync(path.join(root, 'www/docs')).map((f) => `www/docs/${f}`),
  'www/schema/batch.schema.json', 'www/what-we-collect.md',
].sort();

let work;
let tarball;
let packed;

const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'meili-tarball-'));
  // `--ignore-scripts`: the build step of `npm test` has just built pkg/; `prepack` would build it again.
  [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], root));
  tarball = path.join(work, packed.filename);
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('a clean checkout builds the package when it is packed (prepack), with its license', () => {
  assert.match(manifest.scripts.prepack ?? '', /\.ci\/build/, 'prepack runs the build');
  assert.equal(manifest.license, 'MIT');
  assert.ok(packed.files.some((f) => f.path === 'LICENSE'), 'the tarball carries the LICENSE');
});

test('the tarball holds the built package and nothing of the repository', () => {
  assert.deepEqual(packed.files.map((f) => f.path).sort(), EXPECTED_FILES);
  for (const file of packed.files) assert.ok(file.size > 0, `${file.path} is not empty`);
});

test("every link of the README works from the package: to a packed file, or absolute", async () => {
  const names = new Set(packed.files.map((f) => f.path));
  const readme = await readFile(path.join(root, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^(https?:|mailto:|#)/.test(l));
  assert.ok(links.length > 5, 'the README links to its references');
  assert.ok(readme.split('\n').length <= 250, 'the README stays short: the long references are in www/docs/');
  for (const link of links) assert.ok(names.has(path.posix.normalize(link.split('#')[0])), `${link} is in the tarball`);
  // The documents' links between themselves, too.
  for (const doc of packed.files.filter((f) => f.path.startsWith('www/docs/'))) {
    const text = await readFile(path.join(root, doc.path), 'utf8');
    for (const [, link] of text.matchAll(/\]\(([a-z-]+\.md)\)/g)) assert.ok(names.has(`www/docs/${link}`), `${doc.path} links to ${link}`);
  }
});

test('every export and type the manifest names is in the tarball', () => {
  const names = new Set(packed.files.map((f) => f.path));
  const inTarball = (target) => names.has(target.replace(/^\.\//, ''));
  const targets = [manifest.main, manifest.types, ...Object.values(manifest.exports['.'])];
  for (const target of targets) assert.ok(inTarball(target), `${target} is packed`);
});

/** A free loopback port. */
const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

test('installed into a fresh app, it records a search that reaches the real collector', async () => {
  const app = path.join(work, 'node-app');
  await mkdir(app);
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--offline', tarball], app);
  buildCollector();
  const port = await freePort();
  const collector = await startRealCollector({ port, db: path.join(work, 'tarball.sqlite') });
  try {
    await writeFile(path.join(app, 'main.mjs'), `
      import { Telemetry } from 'meili-telemetry';
      const telemetry = await Telemetry.create({ endpoint: 'http://127.0.0.1:${port}', writeKey: 'local-dev-key' });
      const error = telemetry.record({
        method: 'POST', path: '/indexes/movies/search', body: { q: 'star wars', limit: 20 },
        response: { status: 200, body: { hits: [], processingTimeMs: 3, limit: 20, offset: 0, estimatedTotalHits: 0 }, durationMs: 4 },
      });
      if (error) throw new Error(error.message);
      const result = await telemetry.flush();
      console.log(JSON.stringify(result));
    `);
    const printed = execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8', env: { ...process.env, MEILI_NO_ANALYTICS: undefined } });
    assert.ok(!printed.includes(root), 'the consumer never reaches into the repository');
    const stored = await eventually(async () => {
      const { events } = await fetch(`http://127.0.0.1:${port}/v1/events`, READ).then((r) => r.json());
      return events.find((e) => e.event === 'Documents Searched POST');
    });
    assert.ok(stored, `the search reached the collector (flush: ${printed.trim()})`);
    assert.equal(stored.properties.requests.total_received, 1);
    const resolved = execFileSync(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('meili-telemetry'))"], { cwd: app, encoding: 'utf8' });
    assert.match(resolved, /node_modules\/meili-telemetry\/pkg\/node\.js/, 'Node resolves the installed node.js');
  } finally {
    collector.kill('SIGKILL');
  }
});

for (const [moduleKind, resolution] of [['esnext', 'bundler'], ['node16', 'node16']]) {
  test(`a TypeScript consumer compiles against the tarball's types (moduleResolution ${resolution})`, async () => {
    const app = path.join(work, `ts-${resolution}`);
    await mkdir(app);
    await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'ts-consumer', private: true, type: 'module' }));
    npm(['install', '--no-audit', '--no-fund', '--offline', tarball], app);
    await writeFile(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], types: [], module: moduleKind, moduleResolution: resolution, skipLibCheck: false },
      files: ['main.ts'],
    }));
    await writeFile(path.join(app, 'main.ts'), `
      import { Telemetry, createTelemetry, catalog, type RecordError, type FlushResult } from 'meili-telemetry';
      export async function run(): Promise<number> {
        const telemetry: Telemetry = await Telemetry.create({ endpoint: 'http://127.0.0.1:8787', writeKey: 'key' });
        const error: RecordError | undefined = telemetry.track('Dashboard Errors', { 'errors.network': 1 });
        // @ts-expect-error: not an event of the catalog
        telemetry.track('Not An Event');
        const sync = createTelemetry({ endpoint: 'http://127.0.0.1:8787', writeKey: 'key' });
        const flushed: FlushResult = await sync.flush();
        const { events } = await catalog();
        return events.length + (error ? 1 : 0) + (flushed.retryInMs ?? 0);
      }
    `);
    try {
      execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', app], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
    }
  });
}
