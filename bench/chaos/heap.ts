import { spawnSync } from 'node:child_process'
import { getHeapStatistics } from 'node:v8'

/**
 * The full soak keeps 20 replicas, a fresh client and the history of 100,000 operations in one
 * process, and its end checks walk all of it: more than V8's default heap of about 4 GB (a run
 * died there, after all 100,000 steps, on 2026-11-22). When this process's heap limit is below
 * `mb`, rerun the same script in a child Node with `--max-old-space-size=mb` and exit with its
 * status; otherwise return and let the caller do the work.
 */
export function ensureHeap(mb: number): void {
  if (getHeapStatistics().heap_size_limit >= mb * 2 ** 20 * 0.95) return
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, `--max-old-space-size=${mb}`, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  )
  process.exit(r.status ?? 1)
}
