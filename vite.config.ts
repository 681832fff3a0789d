import { defineConfig } from 'vite'
import solid from 'vite-plugin-solid'
import { VitePWA } from './web/pwaPlugin.ts'

// The web app's build. Root is web/; output goes to web/dist, which `taizhang serve` serves.
export default defineConfig({
  root: 'web',
  plugins: [
    solid(),
    // The offline app shell: after one visit every built asset is precached by a service worker,
    // and navigations fall back to index.html, so a reload with no network still opens the app.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg'],
      manifest: {
        name: '台账 Taizhang',
        short_name: '台账',
        description: '社工站台账：离线可用的协同表格',
        lang: 'zh-CN',
        theme_color: '#1d4ed8',
        background_color: '#f7f8fa',
        display: 'standalone',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,woff2}'],
        navigateFallback: 'index.html',
        // The server's own endpoints must never be answered from the cache.
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/healthz/, /^\/metrics/],
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
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
    include: [
      'shared/src/**/*.test.ts',
      'sync-server/src/**/*.test.ts',
      'web/src/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
