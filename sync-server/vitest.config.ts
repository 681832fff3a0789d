import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Runs only the server's tests without the web build's plugins:
// `npx vitest run --config sync-server/vitest.config.ts`. The root config runs them too.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['sync-server/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
