// `npm test`: every check and test the project has, in order, each step's output streamed, then
// a summary. Steps: the format and lint checks, native Rust tests, the browser tests in headless
// Chromium and Firefox (wasm-pack, against a loopback collector started here), the release build with its
// size report, a type check of the package's TypeScript types, the JS tests of the built package,
// and the end-to-end tests in Chromium (delivery under faults, reloads, tabs, offline; the packed
// tarball in a fresh Vite app), the delivery, consent and deletion ones again in Firefox (WebDriver). Every step runs even after a failure; the
// exit code is non-zero if any failed. The last line counts the tests that ran.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startCollector } from './support/loopback-collector.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STEP_TIMEOUT_MS = 30 * 60 * 1000;
const DEFAULT_COLLECTOR_PORT = 18787; // compiled into the browser tests unless overridden

const env = {
  ...process.env,
  PATH: [path.join(root, 'node_modules/.bin'), path.join(process.env.HOME ?? '/root', '.cargo/bin'), process.env.PATH].join(':'),
  CHROMEDRIVER: '/usr/bin/chromedriver',
};

function run(command, args, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (stream, sink) => stream.on('data', (chunk) => { output += chunk; sink.write(chunk); });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    const timer = setTimeout(() => { output += `\n[timed out after ${STEP_TIMEOUT_MS / 60000} min]\n`; child.kill('SIGKILL'); }, STEP_TIMEOUT_MS);
    child.on('error', (error) => { output += String(error); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, output }); });
  });
}

/** Tests counted from a runner's own summary lines (cargo/wasm-bindgen-test, node --test). */
function countTests(output) {
  let passed = 0;
  let failed = 0;
  for (const m of output.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  for (const m of output.matchAll(/^# pass (\d+)$/gm)) passed += Number(m[1]);
  for (const m of output.matchAll(/^# fail (\d+)$/gm)) failed += Number(m[1]);
  return { passed, failed };
}

async function collectorForBrowserTests() {
  try {
    return await startCollector({ port: DEFAULT_COLLECTOR_PORT });
  } catch {
    return startCollector({ port: 0 }); // busy port: a free one, passed to the build below
  }
}

const GECKODRIVER = path.join(process.env.HOME ?? '/root', '.cargo/bin/geckodriver');

/** `wasm-pack test --headless` in one browser (`browser`: its flags), against a loopback
 * collector started for it. */
async function wasmPackTest(browser) {
  const collector = await collectorForBrowserTests();
  try {
    const extra = collector.url.endsWith(`:${DEFAULT_COLLECTOR_PORT}`) ? {} : { MEILI_TEST_COLLECTOR: collector.url };
    return await run('wasm-pack', ['--log-level', 'warn', 'test', '--headless', ...browser, 'src/wasm'], extra);
  } finally {
    await collector.close();
  }
}

const steps = [
  ['cargo fmt --check', () => run('cargo', ['fmt', '--all', '--check'])],
  ['cargo clippy (native)', () => run('cargo', ['clippy', '--workspace', '--all-targets', '--all-features', '--', '-D', 'warnings'])],
  ['cargo clippy (wasm32)', async () => {
    const wasm = ['-p', 'meili-telemetry-wasm', '--target', 'wasm32-unknown-unknown'];
    const tests = await run('cargo', ['clippy', ...wasm, '--all-targets', '--', '-D', 'warnings']);
    if (tests.code !== 0) return tests;
    // The shipped build (the `wasm` profile, the binding alone).
    return run('cargo', ['clippy', ...wasm, '--lib', '--profile', 'wasm', '--', '-D', 'warnings']);
  }],
  ['cargo test (native)', () => run('cargo', ['test', '--workspace', '--all-features'])],
  ['wasm-pack test (headless Chromium)', () => wasmPackTest(['--chrome', '--chromedriver', '/usr/bin/chromedriver'])],
  ['wasm-pack test (headless Firefox)', () => wasmPackTest(['--firefox', '--geckodriver', GECKODRIVER])],
  ['release build + size report', () => run('bash', ['.ci/build'], { MEILI_SIZE_REPORT: '1' })],
  ['tsc (the package TypeScript types)', () => run('tsc', ['-p', 'tests/types'])],
  ['node --test (built package)', () => run('node', ['--test', 'tests/js/'])],
  ['Chromium end to end (playwright-core)', () => run('node', ['--test', '--test-concurrency=1', 'tests/e2e/'])],
  // The delivery, consent and deletion tests again, in Firefox through WebDriver.
  ['Firefox end to end (WebDriver)', () => run('node', ['--test', '--test-concurrency=1', 'tests/e2e/delivery.test.mjs', 'tests/e2e/consent.test.mjs', 'tests/e2e/deletion.test.mjs'], { MEILI_E2E_BROWSER: 'firefox' })],
];

// `node tests/run-all.mjs wasm-pack clippy`: only the steps whose names contain one of the words.
const only = process.argv.slice(2);
const results = [];
for (const [name, step] of steps.filter(([name]) => only.length === 0 || only.some((w) => name.includes(w)))) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const { code, output } = await step();
  const counts = countTests(output);
  results.push({ name, ok: code === 0 && counts.failed === 0, seconds: (Date.now() - started) / 1000, ...counts });
}

console.log('\n=== summary ===');
for (const r of results) {
  const tests = r.passed + r.failed > 0 ? `  (${r.passed} passed, ${r.failed} failed)` : '';
  console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(38)} ${r.seconds.toFixed(1).padStart(6)} s${tests}`);
}
const failedSteps = results.filter((r) => !r.ok).length;
const passed = results.reduce((n, r) => n + r.passed, 0);
// A failed step without a failing test of its own (a lint, a build) counts as one failure.
const failed = results.reduce((n, r) => n + r.failed + (!r.ok && r.failed === 0 ? 1 : 0), 0);
console.log(failedSteps ? `\n${failedSteps} step(s) failed.` : '\nAll steps passed.');
console.log(`total: ${passed} passed, ${failed} failed`);
process.exitCode = failedSteps ? 1 : 0;
