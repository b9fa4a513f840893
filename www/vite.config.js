// Vite builds the dashboard (www/) into www/dist, importing `meili-telemetry` as an npm user
// does: through the package's `exports` (its built `pkg/`), with the `.wasm` emitted as an asset.
import { defineConfig } from 'vite';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  publicDir: false,
  // The package fetches its .wasm with new URL(…, import.meta.url): keep it out of pre-bundling.
  optimizeDeps: { exclude: ['meili-telemetry'] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020' },
  server: { host: '127.0.0.1' },
});
