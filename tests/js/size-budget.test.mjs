// The size budget of the browser entry (the `.wasm` plus the JS it needs to send one event),
// gzip -9, written in one place: `sizeBudget` in package.json. The budget is a ratchet: lower it
// when the package shrinks; the target it moves towards is `sizeBudget.targetGzipBytes`. Over
// budget, the test names the largest items of the wasm (twiggy, when installed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { sizeBudget } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const FILES = ['pkg/wasm/meili_telemetry_bg.wasm', 'pkg/wasm/meili_telemetry.js', 'pkg/telemetry.js', 'pkg/instrument.js', 'pkg/delivery.js', 'pkg/index.js'];

function largestItems() {
  const twiggy = path.join(process.env.HOME ?? '/root', '.cargo/bin/twiggy');
  const unoptimized = path.join(root, 'target/wasm32-unknown-unknown/release/meili_telemetry.wasm');
  if (!existsSync(twiggy) || !existsSync(unoptimized)) return '(install twiggy to see the largest items)';
  return execFileSync(twiggy, ['top', '-n', '15', unoptimized], { encoding: 'utf8' });
}

test('the browser entry stays within its gzip budget', () => {
  const sizes = FILES.map((file) => {
    const bytes = readFileSync(path.join(root, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = sizes.reduce((n, s) => n + s.gzip, 0);
  console.log(sizes.map((s) => `  ${s.file.padEnd(36)} ${String(s.raw).padStart(8)} B raw ${String(s.gzip).padStart(8)} B gzip -9`).join('\n'));
  console.log(`  total ${total} B gzip -9; budget ${sizeBudget.gzipBytes} B; target ${sizeBudget.targetGzipBytes} B`);
  assert.ok(total <= sizeBudget.gzipBytes, `the package is ${total} B gzip, over its ${sizeBudget.gzipBytes} B budget by ${total - sizeBudget.gzipBytes} B. Largest wasm items:\n${largestItems()}`);
});
