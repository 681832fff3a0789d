import { defineConfig } from 'vitest/config'

/**
 * The whole test suite in one `vitest run`, so it ends with one summary line:
 * - unit: pure logic and integration tests with real servers on 127.0.0.1 (files run in parallel);
 * - browser: real Chromium against the built app served by the real `taizhang serve`, and the
 *   chaos harness; one file at a time (each starts servers and browsers of its own).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          root: '.',
          include: [
            'shared/src/**/*.test.ts',
            'sync-server/src/**/*.test.ts',
            'web/src/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          root: '.',
          include: ['web/e2e/**/*.e2e.ts', 'test/chaos/**/*.e2e.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
})
