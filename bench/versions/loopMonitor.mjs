/**
 * Preloaded into the server the versions bench starts (`--import <this>`): watches the server's
 * event loop with perf_hooks.monitorEventLoopDelay (1 ms resolution). On SIGWINCH it writes the
 * delay seen since the last signal ({maxMs, p99Ms, meanMs}) to $TZ_LOOP_FILE and starts afresh,
 * so the bench reads the stall of exactly the window it measured. Plain JavaScript: the server
 * runs on bare Node.
 */
import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const file = process.env.TZ_LOOP_FILE
const h = monitorEventLoopDelay({ resolution: 1 })
h.enable()
process.on('SIGWINCH', () => {
  if (file) {
    writeFileSync(
      file,
      JSON.stringify({
        maxMs: h.max / 1e6,
        p99Ms: h.percentile(99) / 1e6,
        meanMs: h.mean / 1e6,
      }),
    )
  }
  h.reset()
})
