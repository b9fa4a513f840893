// The size budgets of the browser package, gzip -9, written in one place: `sizeBudget` in
// package.json. Two budgets: the front (`pkg/index.js`, all a host loads on its critical path,
// before the page is idle: `frontGzipBytes`, at most 2 KB) and the whole package (the front, the
// engine chunk and the `.wasm`: what a page downloads to send one event: `gzipBytes`, a ratchet:
// lower it when the package shrinks; the target it moves towards is `targetGzipBytes`). The test
// prints the size per crate and the largest items of the wasm (twiggy, installed by .ci/setup),
// which is what to read when it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { sizeBudget } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
/** Everything a page fetches to send one event: the front, the engine chunk it imports when the
 * page is idle, and the module (checked below to import nothing else of the package). */
const FILES = ['pkg/index.js', 'pkg/engine.js', 'pkg/meili_telemetry_bg.wasm'];
const gzipped = (file) => gzipSync(readFileSync(path.join(root, file)), { level: 9 }).length;

/** The crate (or section) an item of the wasm belongs to, from its symbol name. */
function crateOf(name) {
  const plain = name.replace(/\[[0-9a-f]{16}\]/g, '');
  if (plain.startsWith('data segment')) return 'data (static strings and tables)';
  if (/^(custom|export|import|elem|table|type|func|global|memory)\b/.test(plain)) return 'wasm sections';
  if (/ shim|^telemetry_/.test(plain)) return 'meili_telemetry (exported entry points)';
  const crate = plain.match(/^(?:<)?(?:&)?(?:mut )?([A-Za-z_][A-Za-z0-9_]*)::/);
  return crate ? crate[1] : 'other';
}

/** Bytes per crate of the shipped wasm (the copy `.ci/build` optimizes the same way but with
 * its function names kept, when `MEILI_SIZE_REPORT` is set, as `npm test` does), largest first, and the largest single items: what to look at when
 * the budget is exceeded. */
function sizeByCrate() {
  const twiggy = path.join(process.env.HOME ?? '/root', '.cargo/bin/twiggy');
  const named = path.join(root, 'target/size/meili_telemetry_named.wasm');
  if (!existsSync(twiggy) || !existsSync(named)) return '(run `MEILI_SIZE_REPORT=1 npm run build` with twiggy installed to see the size per crate)';
  const csv = execFileSync(twiggy, ['top', '-n', '1000000', '-f', 'csv', named], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const rows = csv.trim().split('\n').slice(1).map((line) => {
    const fields = line.match(/^(.*),(\d+),[^,]*,[^,]*,[^,]*$/);
    if (!fields) return null;
    const name = fields[1].startsWith('"') ? fields[1].slice(1, -1).replaceAll('""', '"') : fields[1];
    return { name, bytes: Number(fields[2]) };
  }).filter((row) => row && !/names" subsection/.test(row.name));
  const byCrate = new Map();
  for (const { name, bytes } of rows) byCrate.set(crateOf(name), (byCrate.get(crateOf(name)) ?? 0) + bytes);
  const crates = [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const items = rows.sort((a, b) => b.bytes - a.bytes).slice(0, 8);
  return [
    'raw bytes per crate in the shipped .wasm:',
    ...crates.map(([crate, bytes]) => `  ${String(bytes).padStart(8)}  ${crate}`),
    'largest items:',
    ...items.map(({ name, bytes }) => `  ${String(bytes).padStart(8)}  ${name.replace(/\[[0-9a-f]{16}\]/g, '').slice(0, 110)}`),
  ].join('\n');
}

/** The specifiers a bundled file imports, statically and dynamically. */
function importsOf(file) {
  const text = readFileSync(path.join(root, file), 'utf8');
  return {
    static: [...text.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]*from\s*)?["']([^"']+)["']/g)].map((m) => m[1]),
    dynamic: [...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]).sort(),
  };
}

test('the front imports nothing up front: the engine chunk and the catalog only on demand', () => {
  assert.deepEqual(importsOf('pkg/index.js'), { static: [], dynamic: ['./catalog.js', './engine.js'] });
  assert.deepEqual(importsOf('pkg/engine.js'), { static: [], dynamic: [] }, 'the engine chunk is one file');
});

test('the front, all a host loads on its critical path, is at most 2 KB gzip', () => {
  const front = gzipped('pkg/index.js');
  console.log(`  front pkg/index.js ${front} B gzip -9; budget ${sizeBudget.frontGzipBytes} B`);
  assert.ok(sizeBudget.frontGzipBytes <= 2048, 'the front budget is 2 KB at most');
  assert.ok(front <= sizeBudget.frontGzipBytes, `the front is ${front} B gzip, over its ${sizeBudget.frontGzipBytes} B budget by ${front - sizeBudget.frontGzipBytes} B`);
});

test('the whole package stays within its gzip budget', () => {
  const sizes = FILES.map((file) => {
    const bytes = readFileSync(path.join(root, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = sizes.reduce((n, s) => n + s.gzip, 0);
  console.log(sizes.map((s) => `  ${s.file.padEnd(36)} ${String(s.raw).padStart(8)} B raw ${String(s.gzip).padStart(8)} B gzip -9`).join('\n'));
  console.log(`  total ${total} B gzip -9; budget ${sizeBudget.gzipBytes} B; target ${sizeBudget.targetGzipBytes} B`);
  const breakdown = sizeByCrate();
  console.log(breakdown);
  assert.ok(total <= sizeBudget.gzipBytes, `the package is ${total} B gzip, over its ${sizeBudget.gzipBytes} B budget by ${total - sizeBudget.gzipBytes} B.\n${breakdown}`);
});
