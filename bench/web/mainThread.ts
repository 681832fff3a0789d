/**
 * Every main-thread task of a page, from a Chromium trace (Chrome DevTools protocol `Tracing`), with
 * the page's own user-timing marks on the same clock: the longest task between two marks, however
 * short (PerformanceObserver 'longtask' reports only tasks of 50 ms or more).
 */
import type { BrowserContext, Page } from '../../web/node_modules/playwright-core/index.js'

// playwright-core is a dependency of web/ (the browser tests); the root package does not list it.

/** A Chrome trace event, as far as the benches read it. */
export interface TraceEvent {
  name: string
  cat: string
  ph: string
  ts: number
  dur?: number
  tid: number
  pid: number
  args?: { name?: string; data?: { url?: string; functionName?: string; type?: string } }
}

/** A main-thread task: start and duration in ms on the trace clock. */
export interface MainTask {
  start: number
  dur: number
  /** What ran inside it for 2 ms or more (event, function or URL, ms): where its time went. */
  inside: string[]
}

export interface MainThreadTrace {
  tasks: MainTask[]
  /** User-timing marks (`performance.mark`) and measures by name: start (ms), duration (ms). */
  marks: Map<string, { start: number; dur: number }[]>
  /** The tasks that start at or after mark `from` and before mark `to` (first of each name). */
  between(from: string, to: string): MainTask[]
}

/** Starts tracing the page's renderer; `stop` ends it and returns the renderer main thread's tasks. */
export async function traceMainThread(
  context: BrowserContext,
  page: Page,
): Promise<{ stop(): Promise<MainThreadTrace> }> {
  const cdp = await context.newCDPSession(page)
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])))
  await cdp.send('Tracing.start', {
    // RunTask is in the timeline category; marks and measures in user timing.
    categories: 'disabled-by-default-devtools.timeline,devtools.timeline,blink.user_timing',
    transferMode: 'ReportEvents',
  })
  return {
    async stop() {
      const done = new Promise<void>((ok) => cdp.once('Tracing.tracingComplete', () => ok()))
      await cdp.send('Tracing.end')
      await done
      await cdp.detach()
      const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      if (!main) throw new Error('no renderer main thread in the trace')
      const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid)
      const slices = onMain.filter((e) => e.ph === 'X' && e.name !== 'RunTask')
      const tasks = onMain
        .filter((e) => e.name === 'RunTask' && e.ph === 'X')
        .map((e) => {
          const end = e.ts + (e.dur ?? 0)
          const inside = slices
            .filter((x) => x.ts >= e.ts && x.ts < end && (x.dur ?? 0) >= 2000)
            .slice(0, 12)
            .map((x) => {
              const d = x.args?.data
              const what = [d?.type, d?.functionName, d?.url?.split('/').pop()].filter(Boolean)
              return `${x.name}${what.length ? ` ${what.join(' ')}` : ''} ${((x.dur ?? 0) / 1000).toFixed(1)}`
            })
          return { start: e.ts / 1000, dur: (e.dur ?? 0) / 1000, inside }
        })
        .sort((a, b) => a.start - b.start)
      const marks = new Map<string, { start: number; dur: number }[]>()
      // Marks are instant events ('R' / 'I'); measures come as async begin/end pairs ('b'/'e').
      const open = new Map<string, number>()
      for (const e of events) {
        if (!e.cat.includes('user_timing')) continue
        const at = e.ts / 1000
        if (e.ph === 'b') open.set(e.name, at)
        else if (e.ph === 'e') {
          const s = open.get(e.name)
          if (s !== undefined) {
            const l = marks.get(e.name) ?? []
            l.push({ start: s, dur: at - s })
            marks.set(e.name, l)
            open.delete(e.name)
          }
        } else {
          const l = marks.get(e.name) ?? []
          l.push({ start: at, dur: 0 })
          marks.set(e.name, l)
        }
      }
      return {
        tasks,
        marks,
        between(from, to) {
          const a = marks.get(from)?.[0]?.start
          const b = marks.get(to)?.[0]?.start
          if (a === undefined || b === undefined)
            throw new Error(`marks ${from} / ${to} not traced`)
          // A task that was running when `from` was set counts too (it holds the thread).
          return tasks.filter((t) => t.start + t.dur > a && t.start < b)
        },
      }
    },
  }
}
