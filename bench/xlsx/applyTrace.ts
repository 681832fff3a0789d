/**
 * What the import apply's longest main-thread tasks are made of, from a CDP trace (browser.bench.ts
 * `--trace`): the renderer main thread's top-level tasks over 50 ms, each with its time in garbage
 * collection (V8's MajorGC / MinorGC events inside it) and the event names that took the most time
 * inside it. Answers "is the long task ours or the collector's" (issue #15, no task > 200 ms).
 */

/** A Chrome trace event (the fields used here). */
export interface TraceEvent {
  name: string
  cat: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  args?: { name?: string; data?: { functionName?: string; url?: string } }
}

export interface TaskShare {
  ms: number
  gcMs: number
  /** Event names inside the task by their summed time (nested events counted in each). */
  inside: Record<string, number>
}

const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask'])
const GC_NAMES = new Set(['MajorGC', 'MinorGC'])
const round = (us: number) => Math.round(us / 100) / 10

export function taskBreakdown(events: readonly TraceEvent[], minMs = 50, top = 3): TaskShare[] {
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  )
  const onMain = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`))
  const tasks = onMain
    .filter((e) => TASK_NAMES.has(e.name) && (e.dur ?? 0) >= minMs * 1000)
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, top)
  return tasks.map((t) => {
    const end = t.ts + (t.dur ?? 0)
    const inside = new Map<string, number>()
    let gc = 0
    for (const e of onMain) {
      if (e === t || e.pid !== t.pid || e.tid !== t.tid || e.ts < t.ts || e.ts >= end) continue
      if (TASK_NAMES.has(e.name)) continue
      const fn = e.name === 'FunctionCall' ? e.args?.data?.functionName : undefined
      const key = fn ? `FunctionCall ${fn}` : e.name
      inside.set(key, (inside.get(key) ?? 0) + (e.dur ?? 0))
      if (GC_NAMES.has(e.name)) gc += e.dur ?? 0
    }
    const named = [...inside].sort((a, b) => b[1] - a[1]).slice(0, 8)
    return {
      ms: round(t.dur ?? 0),
      gcMs: round(gc),
      inside: Object.fromEntries(named.map(([k, v]) => [k, round(v)])),
    }
  })
}
