/**
 * Preloaded into every server the bench starts (`node --expose-gc --import <this>`): SIGUSR2 runs
 * a full GC, so RSS readings are comparable; with BENCH_MEM=1 it also prints the memory breakdown.
 * Plain JavaScript: the servers run on bare Node, without a TypeScript loader.
 */
import { getHeapSpaceStatistics } from 'node:v8'

process.on('SIGUSR2', () => {
  globalThis.gc?.()
  if (process.env.BENCH_MEM) {
    const m = process.memoryUsage()
    const mib = (n) => `${(n / 2 ** 20).toFixed(0)} MiB`
    process.stderr.write(
      `[${process.pid}] rss ${mib(m.rss)} heapUsed ${mib(m.heapUsed)} heapTotal ${mib(m.heapTotal)} external ${mib(m.external)} arrayBuffers ${mib(m.arrayBuffers)}\n`,
    )
    const spaces = getHeapSpaceStatistics()
      .filter((sp) => sp.space_size > 2 ** 20)
      .map((sp) => `${sp.space_name} ${mib(sp.space_size)}/${mib(sp.space_used_size)}`)
    process.stderr.write(`[${process.pid}] heap spaces (size/used): ${spaces.join(', ')}\n`)
  }
})
