/**
 * The console's build: a static page under `dist/`, served by ingest at `/ui/` (hence `base`).
 * Preact's JSX through Vite's own transform (oxc); no plugin needed. `pnpm dev` serves the page
 * at :5173 and proxies the API to an ingest on :5000 (INGEST_URL to change it).
 */
import { defineConfig } from 'vite';

const ingest = process.env['INGEST_URL'] ?? 'http://127.0.0.1:5000';
const api = ['/anomalies', '/models', '/retrain', '/stats', '/openapi.json', '/readyz', '/healthz'];

export default defineConfig({
  base: '/ui/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 300 },
  server: { proxy: Object.fromEntries(api.map((p) => [p, ingest])) },
});
