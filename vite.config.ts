import { defineConfig } from 'vite'
import solid from 'vite-plugin-solid'

// The web app's build. Root is web/; output goes to web/dist, which `taizhang serve` serves.
export default defineConfig({
  root: 'web',
  plugins: [solid()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/sync': { target: 'ws://127.0.0.1:8787', ws: true },
      '/api': 'http://127.0.0.1:8787',
      '/healthz': 'http://127.0.0.1:8787',
    },
  },
  test: {
    root: '.',
    include: ['shared/src/**/*.test.ts', 'sync-server/src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
