/**
 * Preloaded into the server the versions bench starts (`--import <this>`): watches the server's
 * event loop with perf_hooks.monitorEventLoopDelay (1 ms resolution). On SIGWINCH it writes the
 * delay seen since the last signal ({maxMs, p99Ms, meanMs}, and the longest GC pause: gcMaxMs,
 * gcKind) to $TZ_LOOP_FILE and starts afresh,
 * so the bench reads the stall of exactly the window it measured. Plain JavaScript: the server
 * runs on bare Node.
 */
import { writeFileSync } from 'node:fs'
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'

const file = process.env.TZ_LOOP_FILE
const h = monitorEventLoopDelay({ resolution: 1 })
h.enable()
// The longest garbage-collection pause in the window, and its kind (a stall may be a GC's).
let gcMaxMs = 0
let gcKind = ''
const kinds = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
}
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.duration > gcMaxMs) {
      gcMaxMs = e.duration
      gcKind = kinds[e.detail?.kind] ?? String(e.detail?.kind)
    }
  }
}).observe({ entryTypes: ['gc'] })
process.on('SIGWINCH', () => {
  if (file) {
    writeFileSync(
      file,
      JSON.stringify({
        maxMs: h.max / 1e6,
        p99Ms: h.percentile(99) / 1e6,
        meanMs: h.mean / 1e6,
        gcMaxMs,
        gcKind,
      }),
    )
  }
  h.reset()
  gcMaxMs = 0
  gcKind = ''
})
