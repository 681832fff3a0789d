import { defineConfig } from 'vitest/config'

/**
 * Browser tests: real Chromium against the built app on a real `taizhang serve`.
 * Run from the repository root after `npx vite build`:
 *   npx vitest run --config web/e2e/vitest.config.ts
 */
export default defineConfig({
  test: {
    root: '.',
    include: ['web/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
})
