// The README's embedding for the mini-dashboard is the one this repository's dashboard runs: the
// lines between the markers are the same text in both, they await nothing (the mini-dashboard
// builds for es2020, where a top-level `await` fails the build, and an awaited engine would delay
// the first render), and the README's entry keeps the providers the real `src/index.jsx` renders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file) => readFileSync(path.join(root, file), 'utf8');
const MARKED = /\/\/ meili-telemetry: begin\n([\s\S]*?)\/\/ meili-telemetry: end/;

test("the README's embedding is exactly what www/ runs", () => {
  const readme = read('README.md');
  const documented = MARKED.exec(readme)?.[1];
  const run = MARKED.exec(read('www/src/telemetry.js'))?.[1];
  assert.ok(documented && run, 'both carry the marked embedding');
  assert.equal(documented, run);
  assert.doesNotMatch(documented, /\bawait\b/, 'nothing awaited before the first render');
  assert.match(documented, /createTelemetry\(/);
  const entry = readme.slice(readme.indexOf('```jsx'), readme.indexOf('```', readme.indexOf('```jsx') + 6));
  for (const kept of ['<MeiliSearchClientProvider>', '<ThemeProvider theme={theme}>', '<GlobalStyle />', '<App />', "from 'meili-telemetry'"]) {
    assert.ok(entry.includes(kept), `the README's src/index.jsx keeps ${kept}`);
  }
  assert.match(read('www/vite.config.js'), /target: 'es2020'/, 'www builds as the mini-dashboard does');
});
