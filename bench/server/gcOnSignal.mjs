/**
 * Preloaded into every server the bench starts (`node --expose-gc --import <this>`): SIGUSR2 runs
 * a full GC, so RSS readings are comparable; with BENCH_MEM=1 it also prints the memory breakdown
 * (V8 heap spaces, and the largest resident mappings from /proc/self/smaps: `[heap]` is glibc's
 * main arena, anonymous mappings are V8's heap, thread arenas and large allocations).
 * Plain JavaScript: the servers run on bare Node, without a TypeScript loader.
 */
import { readFileSync } from 'node:fs'
import { getHeapSpaceStatistics } from 'node:v8'

process.on('SIGUSR2', () => {
  globalThis.gc?.()
  // Printed a second later, next to the bench's reading (made 1.5 s after the signal): memory
  // freed by the GC is returned to the system by V8's and glibc's background work meanwhile.
  if (process.env.BENCH_MEM) setTimeout(report, 1000).unref()
})

function report() {
  {
    const m = process.memoryUsage()
    const mib = (n) => `${(n / 2 ** 20).toFixed(0)} MiB`
    process.stderr.write(
      `[${process.pid}] rss ${mib(m.rss)} heapUsed ${mib(m.heapUsed)} heapTotal ${mib(m.heapTotal)} external ${mib(m.external)} arrayBuffers ${mib(m.arrayBuffers)}\n`,
    )
    const spaces = getHeapSpaceStatistics()
      .filter((sp) => sp.space_size > 2 ** 20)
      .map((sp) => `${sp.space_name} ${mib(sp.space_size)}/${mib(sp.space_used_size)}`)
    process.stderr.write(`[${process.pid}] heap spaces (size/used): ${spaces.join(', ')}\n`)
    try {
      const maps = []
      let cur = null
      for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
        const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
        if (head) {
          cur = { name: head[3] || '[anon]', rss: 0 }
          maps.push(cur)
        } else if (cur && line.startsWith('Rss:')) cur.rss = Number(line.split(/\s+/)[1]) * 1024
      }
      const byName = new Map()
      for (const { name, rss } of maps) {
        const key = name.startsWith('/') ? `files:${name.split('/').pop()}` : name
        byName.set(key, (byName.get(key) ?? 0) + rss)
      }
      const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 8)
      const anon = maps
        .filter((x) => x.name === '[anon]')
        .map((x) => x.rss)
        .sort((a, b) => b - a)
      process.stderr.write(
        `[${process.pid}] resident by mapping: ${top.map(([k, v]) => `${k} ${mib(v)}`).join(', ')}; anon total ${mib(anon.reduce((a, b) => a + b, 0))} in ${anon.length} mappings, largest: ${anon.slice(0, 8).map(mib).join(' ')}\n`,
      )
    } catch {
      // not Linux
    }
  }
}
