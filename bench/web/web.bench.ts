/**
 * The web app in Chromium with a 100,000 × 12 workbook (issue 4).
 *
 *   npx tsx bench/web/web.bench.ts [--rows 100000 --runs 3]
 *
 * Builds the app with the measurement hook (`VITE_TZ_DEBUG=1`, into a temporary directory, never
 * web/dist), starts the real `taizhang serve` on 127.0.0.1 with that build, seeds the workbook on
 * the server from a Node client (the same shared/ model code), opens it once in Chromium so it is
 * stored in the page's IndexedDB by the app's own persistence, and then measures:
 * - open, against the floor measured in the same page (IndexedDB read of the stored records +
 *   `Y.applyUpdate` alone), two ways: reload → first painted rows (row 0 visible with its
 *   rendered values, which the first-screen cache paints before the doc is applied:
 *   web/src/doc/firstScreen.ts), and reload → grid live (the sheet's own grid, doc applied and
 *   editable, row 0 painted in it);
 * - 1,000 remote single-cell edits sent by the Node client: until the last is painted;
 * - remote edit latency (one at a time, spaced): send → painted in the grid, p50/p99;
 * - JS heap with the workbook open (CDP `HeapProfiler.collectGarbage` + `Runtime.getHeapUsage`);
 * - the longest main-thread task (PerformanceObserver 'longtask') during 2,000 local edits and
 *   the compactions they trigger.
 * Writes bench/results/web.json; prints the markdown table.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cellSel, type Server, startServer, waitSaved } from '../../web/e2e/harness.js'
import type { BrowserContext, Page } from '../../web/node_modules/playwright-core/index.js'
import { COLUMNS } from '../layout/data.js'
import { Y } from '../layout/deps.js'
import type { TraceEvent } from './mainThread.js'
import { type NodeClient, seedAndConnect } from './nodeClient.js'
import { buildBenchApp, launchBenchBrowser, writeResult } from './page.js'

// playwright-core is a dependency of web/ (the browser tests); the root package does not list it.

const WORKBOOK_ID = 'bench-web-100k'

export interface WebBenchOptions {
  rows?: number
  runs?: number
  /** Remote edits in the burst. */
  burst?: number
  /** Local edits for the long-task measurement. */
  localEdits?: number
  /** Spaced remote edits for the latency percentiles. */
  latencySamples?: number
  log?: (msg: string) => void
}

const TARGETS = {
  openMs: 2500,
  openRatio: 1.3,
  heapMB: 300,
  longTaskMs: 200,
  remoteVisibleMs: 300,
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const n = s.length
  return n === 0 ? Number.NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2
}
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN
}
const now = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// ---- server --------------------------------------------------------------------------------

// The other client (Node, same model code): bench/web/nodeClient.ts.

// ---- the browser -----------------------------------------------------------------------------

function launch(profile: string): Promise<{ context: BrowserContext; page: Page }> {
  return launchBenchBrowser(profile, {
    identityId: 'bench-browser',
    extraArgs: ['--enable-precise-memory-info'],
    init: () => {
      // When row 0 is first painted with its values (cell renderers included), in any grid (the
      // first-screen cache's or the live one), and when in the live grid (`[data-testid="grid"]`,
      // doc applied, editable): checked every animation frame from navigation start.
      const w = window as unknown as { __firstRowAt?: number; __liveAt?: number }
      const w2 = window as unknown as { __shellAt?: number }
      const painted = (scope: string) => {
        const el = document.querySelector(`${scope}.ag-row[row-index="0"]`)
        if (!el || (el as HTMLElement).checkVisibility?.() === false) return false
        for (const r of document.querySelectorAll(`${scope}.ag-row[row-index="0"]`))
          if (r.querySelector('.tz-cell')?.textContent) return true
        return false
      }
      const tick = () => {
        if (w2.__shellAt === undefined && document.querySelector('.app-header'))
          w2.__shellAt = performance.now()
        if (w.__firstRowAt === undefined && painted('')) w.__firstRowAt = performance.now()
        if (w.__liveAt === undefined && painted('[data-testid="grid"] '))
          w.__liveAt = performance.now()
        if (w.__liveAt === undefined) requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    },
  })
}

/** Waits in the page until every (selector, text) has been painted; returns epoch ms per item. */
async function watchCells(page: Page, items: [string, string][]): Promise<void> {
  await page.evaluate((list) => {
    const w = window as unknown as { __seen: (number | null)[]; __seenDone: Promise<void> }
    w.__seen = list.map(() => null)
    w.__seenDone = new Promise<void>((done) => {
      let next = 0
      const tick = () => {
        // Painted this frame: record the frame time for each item whose text is now shown.
        const t = performance.timeOrigin + performance.now()
        for (let i = next; i < list.length; i++) {
          if (w.__seen[i] !== null) continue
          const el = document.querySelector(list[i]![0])
          const txt =
            el?.querySelector('.tz-cell-text, .ag-cell-value')?.textContent ?? el?.textContent
          if (txt?.includes(list[i]![1])) w.__seen[i] = t
        }
        while (next < list.length && w.__seen[next] !== null) next++
        if (next >= list.length) done()
        else requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    })
  }, items)
}

async function cdpHeapMB(page: Page): Promise<{ usedMB: number; totalMB: number }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const h = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number }
  await cdp.detach()
  return { usedMB: h.usedSize / 2 ** 20, totalMB: h.totalSize / 2 ** 20 }
}

/**
 * `TZ_PROFILE=open|burst|local` wraps that phase (first run) in the CDP CPU profiler and prints the
 * functions with the most self time: how the fixes in web/ were found.
 */
const PROFILE = (process.env.TZ_PROFILE ?? '').split(',')
/**
 * `TZ_TRACE=file.json` records a Chromium trace (timeline, V8, user timing) of the first open
 * into that file and prints the main thread's tasks longer than 5 ms: where the open's time goes.
 */
const TRACE = process.env.TZ_TRACE ?? ''
async function traced<T>(page: Page, fn: () => Promise<T>): Promise<T> {
  const cdp = await page.context().newCDPSession(page)
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as typeof events)))
  const done = new Promise<void>((ok) => cdp.once('Tracing.tracingComplete', () => ok()))
  await cdp.send('Tracing.start', {
    categories:
      process.env.TZ_TRACE_CATS ??
      'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing,loading,IndexedDB,disabled-by-default-v8.cpu_profiler',
    transferMode: 'ReportEvents',
  })
  const out = await fn()
  await cdp.send('Tracing.end')
  await done
  await cdp.detach()
  writeFileSync(TRACE, JSON.stringify({ traceEvents: events }))
  // The renderer main thread: the thread with the most RunTask time.
  const names = events.filter((e) => e.name === 'thread_name' && e.args && 'name' in e.args)
  const rendererMain = names.find(
    (e) => (e.args as unknown as { name: string }).name === 'CrRendererMain',
  )
  // Times from the reload's navigation start: the last one before the app's first mark.
  const firstMark = events.find((e) => e.name.startsWith('tz:'))?.ts ?? Number.POSITIVE_INFINITY
  const navs = events.filter((e) => e.name === 'navigationStart' && e.ts < firstMark)
  const t0 = navs.length ? Math.max(...navs.map((e) => e.ts)) : Math.min(...events.map((e) => e.ts))
  const onMain = events.filter((e) => e.tid === rendererMain?.tid && e.pid === rendererMain?.pid)
  for (const e of onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 5000)) {
    const inner = onMain
      .filter(
        (x) =>
          x !== e &&
          x.ts >= e.ts &&
          x.ts < e.ts + (e.dur ?? 0) &&
          (x.dur ?? 0) > 2000 &&
          x.ph === 'X',
      )
      .map(
        (x) =>
          `${x.name}${x.args?.data?.url ? ' ' + x.args.data.url.split('/').pop() : ''}${x.args?.data?.functionName ? ' ' + x.args.data.functionName : ''} ${((x.dur ?? 0) / 1000).toFixed(0)}`,
      )
      .slice(0, 8)
    console.error(
      `task @${((e.ts - t0) / 1000).toFixed(0)} ms ${((e.dur ?? 0) / 1000).toFixed(0)} ms: ${inner.join(' | ')}`,
    )
  }
  for (const e of onMain.filter((e) => e.cat.includes('user_timing') && e.name.startsWith('tz:')))
    console.error(`mark ${e.name} @${((e.ts - t0) / 1000).toFixed(0)}`)
  return out
}

/**
 * `TZ_SCREEN_AB=1`: before every second open the first-screen record is deleted (in the quiet
 * home page), so those opens paint from the doc: what the cache costs and saves, interleaved in
 * one run, reported as their own lines.
 */
const SCREEN_AB = process.env.TZ_SCREEN_AB === '1'
/** `TZ_PHASES=open,burst,latency,local` runs only those phases (while profiling). */
const PHASES = (process.env.TZ_PHASES ?? 'open,burst,latency,local').split(',')
async function profiled<T>(page: Page, phase: string, fn: () => Promise<T>): Promise<T> {
  if (TRACE && phase === 'open') return traced(page, fn)
  if (!PROFILE.includes(phase)) return fn()
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  await cdp.send('Profiler.start')
  const out = await fn()
  const { profile } = (await cdp.send('Profiler.stop')) as {
    profile: {
      nodes: {
        id: number
        callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
        children?: number[]
      }[]
      samples: number[]
      timeDeltas: number[]
    }
  }
  await cdp.detach()
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  )
  const byFn = new Map<string, number>()
  for (const n of profile.nodes) {
    const f = n.callFrame
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`
    byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0))
  }
  // Who calls the top native functions (decode, encodeInto, …): self time by caller chain.
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const nodeById = new Map(profile.nodes.map((n) => [n.id, n]))
  const label = (id: number | undefined) => {
    const f = id === undefined ? undefined : nodeById.get(id)?.callFrame
    return f ? `${f.functionName || '(anon)'}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '-'
  }
  const callers = new Map<string, number>()
  for (const n of profile.nodes) {
    if (!['decode', 'encodeInto'].includes(n.callFrame.functionName)) continue
    const p1 = parent.get(n.id)
    const p2 = p1 === undefined ? undefined : parent.get(p1)
    const p3 = p2 === undefined ? undefined : parent.get(p2)
    const p4 = p3 === undefined ? undefined : parent.get(p3)
    const k = `${n.callFrame.functionName} ← ${label(p1)} ← ${label(p2)} ← ${label(p3)} ← ${label(p4)}`
    callers.set(k, (callers.get(k) ?? 0) + (self.get(n.id) ?? 0))
  }
  for (const [k, us] of [...callers.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8))
    console.error(`${(us / 1000).toFixed(1).padStart(9)} ms  ${k}`)
  const top = [...byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)
  console.error(`---- CPU profile (${phase}): self time ----`)
  for (const [k, us] of top) console.error(`${(us / 1000).toFixed(1).padStart(9)} ms  ${k}`)
  return out
}

/**
 * The open's phases from the app's marks, as "phase: duration" medians: the entry module runs,
 * the stored records are read, applied, the workbook opened, the view rendered, the grid created,
 * its first row painted.
 */
function openPhases(
  opens: { firstRowMs: number; liveMs: number; marks: Record<string, number> }[],
): string {
  const phases: [string, string, string][] = [
    ['navigation → entry module', '', 'main'],
    ['navigation → first-screen record read', '', 'screenread'],
    ['→ its grid made', 'screenread', 'screen'],
    ['read (from the entry)', 'main', 'read'],
    ['apply', 'apply0', 'apply1'],
    ['Workbook.open + session', 'apply1', 'session'],
    ['view + sheet index', 'session', 'mount'],
    ['grid created', 'grid0', 'grid2'],
    ['→ live row painted', 'grid2', 'live'],
  ]
  const at = (
    o: { firstRowMs: number; liveMs: number; marks: Record<string, number> },
    k: string,
  ) => (k === '' ? 0 : k === 'live' ? o.liveMs : (o.marks[k] ?? Number.NaN))
  return phases
    .map(([label, a, b]) => {
      const d = median(opens.map((o) => at(o, b) - at(o, a)).filter((x) => Number.isFinite(x)))
      return `${label} ${Number.isFinite(d) ? Math.round(d) : '?'}`
    })
    .join('; ')
}

// ---- the run ---------------------------------------------------------------------------------

export async function runWebBench(
  opts: WebBenchOptions = {},
): Promise<{ markdown: string; results: unknown }> {
  const rows = opts.rows ?? 100_000
  const runs = opts.runs ?? 3
  const burst = opts.burst ?? 1000
  const localEdits = opts.localEdits ?? 2000
  const latencySamples = opts.latencySamples ?? 100
  const log = opts.log ?? ((m: string) => console.error(`[web bench] ${m}`))
  const work = mkdtempSync(join(tmpdir(), 'tz-web-bench-'))
  const webDir = join(work, 'dist')
  let server: Server | null = null
  let client: NodeClient | null = null
  let context: BrowserContext | null = null
  try {
    log('building the app with the measurement hook')
    buildBenchApp(webDir)
    mkdirSync(join(work, 'data'))
    server = await startServer({ webDir, dataDir: join(work, 'data') })
    log(`server ${server.origin}; seeding ${rows.toLocaleString('en')} rows from a Node client`)
    let t = now()
    client = await seedAndConnect(server.origin, server.token, rows, WORKBOOK_ID)
    const stateBytes = Y.encodeStateAsUpdate(client.doc).byteLength
    log(`seeded (${(stateBytes / 2 ** 20).toFixed(1)} MB state) in ${Math.round(now() - t)} ms`)

    const b = await launch(join(work, 'profile'))
    context = b.context
    const page = b.page
    const wbUrl = `${server.origin}/#/w/${WORKBOOK_ID}?token=${encodeURIComponent(server.token)}`
    t = now()
    await page.goto(wbUrl)
    await page.locator('.ag-row[row-index="0"]').waitFor({ timeout: 120_000 })
    await waitSaved(page, { synced: true, timeout: 120_000 })
    log(`first open from the server, stored in IndexedDB: ${Math.round(now() - t)} ms`)
    await sleep(1000)

    // ---- open vs floor ----
    const opens: {
      firstRowMs: number
      liveMs: number
      shellMs: number
      allRowsMs: number
      floorReadMs: number
      floorApplyMs: number
      marks: Record<string, number>
    }[] = []
    let floorInfo = { bytes: 0, records: 0 }
    for (let i = 0; i < (PHASES.includes('open') ? runs : 0); i++) {
      // The floor, in a quiet page: the home page of the same app (no workbook open, nothing
      // running in the background), with the app's own yjs and IndexedDB code.
      await page.evaluate(() => {
        location.hash = '#/'
      })
      await page.reload()
      await page.getByTestId('new-demo').waitFor({ timeout: 60_000 })
      await page.waitForFunction(
        () => 'floor' in ((window as { __tzBench?: object }).__tzBench ?? {}),
      )
      await sleep(300)
      const f = await page.evaluate(
        (id) =>
          (
            window as unknown as {
              __tzBench: {
                floor(
                  id: string,
                ): Promise<{ readMs: number; applyMs: number; bytes: number; records: number }>
              }
            }
          ).__tzBench.floor(id),
        WORKBOOK_ID,
      )
      if (SCREEN_AB && i % 2 === 1) {
        await page.evaluate(async (name) => {
          const db = await new Promise<IDBDatabase>((ok, fail) => {
            const req = indexedDB.open(name)
            req.onsuccess = () => ok(req.result)
            req.onerror = () => fail(req.error)
          })
          const tx = db.transaction('screen', 'readwrite')
          tx.objectStore('screen').delete('first')
          await new Promise((ok) => (tx.oncomplete = ok))
          db.close()
        }, `taizhang-doc-${WORKBOOK_ID}`)
      }
      // Back to the workbook's address without a route change, then a real reload.
      await page.evaluate((hash) => history.replaceState(null, '', hash), new URL(wbUrl).hash)
      await sleep(300)
      await profiled(page, i === 0 ? 'open' : '-', async () => {
        await page.reload()
        await page.waitForFunction(() => (window as { __liveAt?: number }).__liveAt, undefined, {
          timeout: 120_000,
          polling: 100,
        })
      })
      // The app's own marks on the way (web/src: `performance.mark('tz:…')`), ms from navigation.
      const [firstRowMs, liveMs, shellMs, marks] = await page.evaluate(() => {
        const w = window as unknown as {
          __firstRowAt: number
          __liveAt: number
          __shellAt?: number
        }
        const m: Record<string, number> = {}
        for (const e of performance.getEntriesByType('mark'))
          if (e.name.startsWith('tz:')) m[e.name.slice(3)] = e.startTime
        return [w.__firstRowAt, w.__liveAt, w.__shellAt ?? Number.NaN, m] as const
      })
      log(
        `marks: ${Object.entries(marks)
          .map(([k, v]) => `${k} ${Math.round(v)}`)
          .join(', ')}`,
      )
      // Every row in the grid (big sheets load the rest in chunks after the first paint).
      await page.waitForFunction(
        (n) =>
          (
            window as unknown as {
              __tzBench?: { grid: { api: { getDisplayedRowCount(): number } } | null }
            }
          ).__tzBench?.grid?.api.getDisplayedRowCount() === n,
        rows,
        { timeout: 60_000, polling: 'raf' },
      )
      const allRowsMs = await page.evaluate(() => performance.now())
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="status-badge"]')?.getAttribute('data-state') ===
          'synced',
        undefined,
        { timeout: 60_000 },
      )
      floorInfo = { bytes: f.bytes, records: f.records }
      opens.push({
        firstRowMs,
        liveMs,
        shellMs,
        allRowsMs,
        floorReadMs: f.readMs,
        floorApplyMs: f.applyMs,
        marks,
      })
      log(
        `open ${i + 1}: app shell ${Math.round(shellMs)} ms, first painted rows ${Math.round(firstRowMs)} ms${marks.screen !== undefined ? ' (first-screen cache)' : ''}, grid live ${Math.round(liveMs)} ms, all rows in the grid ${Math.round(allRowsMs)} ms; floor ${Math.round(f.readMs)} + ${Math.round(f.applyMs)} ms (${f.records} records, ${(f.bytes / 2 ** 20).toFixed(1)} MB)`,
      )
    }

    // ---- heap ----
    await sleep(500)
    const heap = await cdpHeapMB(page)
    log(`heap ${heap.usedMB.toFixed(1)} MB used`)

    // ---- 1,000 remote edits in a burst ----
    const visibleCols = client.colIds.slice(0, 6)
    const burstRuns: number[] = []
    for (let r = 0; r < (PHASES.includes('burst') ? runs : 0); r++) {
      const edits: [number, string, string][] = []
      for (let i = 0; i < burst; i++)
        edits.push([i % 15, visibleCols[i % visibleCols.length]!, `远程${r}-${i}`])
      // The last edit of each cell is what must be painted.
      const last = new Map<string, string>()
      for (const [row, col, text] of edits) last.set(cellSel(row, col), text)
      await watchCells(page, [...last.entries()])
      const sheet = client.wb.sheet(client.sheetId)
      const t0 = now()
      await profiled(page, r === 0 ? 'burst' : '-', async () => {
        for (const [row, col, text] of edits) sheet.setCell(client!.rowIds[row]!, col, text)
        await page.evaluate(() => (window as unknown as { __seenDone: Promise<void> }).__seenDone)
      })
      const seen = await page.evaluate(() => (window as unknown as { __seen: number[] }).__seen)
      burstRuns.push(Math.max(...seen) - t0)
      log(`burst ${r + 1}: ${burst} remote edits painted in ${Math.round(burstRuns[r]!)} ms`)
      await sleep(500)
    }

    // ---- remote edit latency, one at a time ----
    const lat: number[] = []
    if (PHASES.includes('latency')) {
      const sheet = client.wb.sheet(client.sheetId)
      const items: [string, string][] = []
      const plan: [number, string, string][] = []
      for (let i = 0; i < latencySamples; i++) {
        const row = i % 15
        const col = visibleCols[(i * 7) % visibleCols.length]!
        const text = `延迟${i}`
        plan.push([row, col, text])
        items.push([cellSel(row, col), text])
      }
      await watchCells(page, items)
      const sent: number[] = []
      for (const [row, col, text] of plan) {
        sent.push(now())
        sheet.setCell(client.rowIds[row]!, col, text)
        await sleep(50)
      }
      await page.evaluate(() => (window as unknown as { __seenDone: Promise<void> }).__seenDone)
      const seen = await page.evaluate(() => (window as unknown as { __seen: number[] }).__seen)
      for (let i = 0; i < plan.length; i++) lat.push(seen[i]! - sent[i]!)
      log(
        `remote edit visible: p50 ${percentile(lat, 50).toFixed(0)} ms, p99 ${percentile(lat, 99).toFixed(0)} ms`,
      )
    }

    // ---- longest task during local edits + compaction ----
    const longTasks: { maxMs: number; count: number; records: [number, number] }[] = []
    for (let r = 0; r < (PHASES.includes('local') ? Math.min(runs, 2) : 0); r++) {
      const res = await profiled(page, r === 0 ? 'local' : '-', () =>
        page.evaluate(
          async ({ n, id, r, rows }) => {
            const hook = (
              window as unknown as {
                __tzBench: {
                  edit(row: number, col: number, v: string | number): void
                  records(id: string): Promise<number>
                  session: { flushLocal(): Promise<void> }
                }
              }
            ).__tzBench
            const durations: number[] = []
            const obs = new PerformanceObserver((list) => {
              for (const e of list.getEntries()) durations.push(e.duration)
            })
            obs.observe({ type: 'longtask', buffered: false })
            const before = await hook.records(id)
            let peak = before
            for (let i = 0; i < n; i++) {
              // Keystroke-level edits, each in its own task, over visible and far-away rows.
              const row = i % 2 === 0 ? i % 30 : (i * 7919) % (rows - 1)
              const col = (i % 5) + 5
              hook.edit(row, col, col === 5 || col === 6 ? 1000 + r * 10000 + i : `编辑${r}-${i}`)
              await new Promise((ok) => setTimeout(ok, 4))
              if (i % 250 === 0) peak = Math.max(peak, await hook.records(id))
            }
            await hook.session.flushLocal()
            peak = Math.max(peak, await hook.records(id))
            // Let the compaction(s) triggered by these records finish.
            const deadline = performance.now() + 20_000
            let records = await hook.records(id)
            while (records > 50 && performance.now() < deadline) {
              await new Promise((ok) => setTimeout(ok, 250))
              records = await hook.records(id)
            }
            await new Promise((ok) => setTimeout(ok, 1500))
            obs.disconnect()
            return { durations, peak, records }
          },
          { n: localEdits, id: WORKBOOK_ID, r, rows },
        ),
      )
      const maxMs = res.durations.length ? Math.max(...res.durations) : 0
      longTasks.push({ maxMs, count: res.durations.length, records: [res.peak, res.records] })
      log(
        `local edits ${r + 1}: longest task ${Math.round(maxMs)} ms (${res.durations.length} tasks ≥ 50 ms); IndexedDB records peak ${res.peak} → ${res.records}`,
      )
    }

    // ---- summary ----
    const open = median(opens.map((o) => o.firstRowMs))
    const live = median(opens.map((o) => o.liveMs))
    const floor = median(opens.map((o) => o.floorReadMs + o.floorApplyMs))
    // Paired per run (floor and open measured back to back), then the median.
    const ratio = median(opens.map((o) => o.firstRowMs / (o.floorReadMs + o.floorApplyMs)))
    const liveRatio = median(opens.map((o) => o.liveMs / (o.floorReadMs + o.floorApplyMs)))
    const fromCache = opens.filter((o) => o.marks.screen !== undefined).length
    const burstMs = median(burstRuns)
    const longest = Math.max(...longTasks.map((l) => l.maxMs))
    const p50 = percentile(lat, 50)
    const p99 = percentile(lat, 99)
    const pass = (ok: boolean) => (ok ? '**PASS**' : '**FAIL**')
    const f0 = (x: number) => Math.round(x).toLocaleString('en')
    const results = {
      date: new Date().toISOString(),
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model,
        memGiB: totalmem() / 2 ** 30,
        node: process.version,
      },
      rows,
      columns: COLUMNS.length,
      runs,
      stateBytes,
      stored: floorInfo,
      opens,
      heap,
      burst: { edits: burst, runsMs: burstRuns },
      latency: { samples: lat.length, p50, p99, all: lat },
      longTasks,
      medians: {
        openMs: open,
        floorMs: floor,
        ratio,
        liveMs: live,
        liveRatio,
        opensFromFirstScreenCache: fromCache,
        burstMs,
        heapMB: heap.usedMB,
        longestTaskMs: longest,
      },
      targets: TARGETS,
    }
    const screenAb = [true, false].map((cached) => {
      const os = opens.filter((o) => (o.marks.screen !== undefined) === cached)
      const fl = (o: (typeof opens)[number]) => o.floorReadMs + o.floorApplyMs
      return `| A/B: ${cached ? 'with' : 'without'} the first-screen record (${os.length} of ${opens.length} interleaved opens) | first rows ${f0(median(os.map((o) => o.firstRowMs)))} ms, live ${f0(median(os.map((o) => o.liveMs)))} ms | ${f0(median(os.map(fl)))} ms | ${median(os.map((o) => o.firstRowMs / fl(o))).toFixed(2)}×, live ${median(os.map((o) => o.liveMs / fl(o))).toFixed(2)}× |  |  |`
    })
    const markdown = [
      `| Metric | Median (${runs} runs) | Floor | Ratio | Target | Result |`,
      '| --- | ---: | ---: | ---: | --- | --- |',
      `| Open: reload → first painted rows (first-screen cache; ${rows.toLocaleString('en')} × ${COLUMNS.length} from IndexedDB; ${fromCache} of ${opens.length} opens painted from the cache) | ${f0(open)} ms | ${f0(floor)} ms (read ${f0(median(opens.map((o) => o.floorReadMs)))} + apply ${f0(median(opens.map((o) => o.floorApplyMs)))}) | ${ratio.toFixed(2)}× | ≤ 2,500 ms and ≤ 1.3× floor (median of per-run ratios) | ${pass(open <= TARGETS.openMs && ratio <= TARGETS.openRatio)} |`,
      `| Open: reload → grid live (doc applied, editable; row 0 painted in the sheet's own grid) | ${f0(live)} ms | ${f0(floor)} ms | ${liveRatio.toFixed(2)}× | same targets, for information | ${pass(live <= TARGETS.openMs && liveRatio <= TARGETS.openRatio)} |`,
      ...(SCREEN_AB ? screenAb : []),
      `| Open, where the time goes (medians of the app's marks, ms from navigation; the floor's read + apply are ${f0(median(opens.map((o) => o.floorReadMs)))} + ${f0(median(opens.map((o) => o.floorApplyMs)))}) | ${openPhases(opens)} |  |  |  |  |`,
      `| Open: reload → app shell rendered (\`.app-header\`; boot cost included in the open, not in the floor) | ${f0(median(opens.map((o) => o.shellMs)))} ms |  |  |  |  |`,
      `| Open: reload → all ${rows.toLocaleString('en')} rows in the grid (rest loaded in chunks after the first paint) | ${f0(median(opens.map((o) => o.allRowsMs)))} ms |  |  |  |  |`,
      `| 1,000 remote single-cell edits (another client) → last one painted | ${f0(burstMs)} ms |  |  |  |  |`,
      `| Remote edit visible in the grid (loopback, ${lat.length} spaced edits) | p50 ${f0(p50)} ms, p99 ${f0(p99)} ms |  |  | ≤ 300 ms | ${pass(p99 <= TARGETS.remoteVisibleMs)} |`,
      `| JS heap with the workbook open (after GC) | ${heap.usedMB.toFixed(1)} MB |  |  | ≤ 300 MB | ${pass(heap.usedMB <= TARGETS.heapMB)} |`,
      `| Longest main-thread task, ${localEdits.toLocaleString('en')} local edits + compaction | ${f0(longest)} ms (${longTasks.map((l) => l.count).join(', ')} tasks ≥ 50 ms) |  |  | ≤ 200 ms | ${pass(longest <= TARGETS.longTaskMs)} |`,
    ].join('\n')
    return { markdown, results }
  } finally {
    await context?.close().catch(() => {})
    client?.destroy()
    await server?.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

async function main() {
  const args = process.argv.slice(2)
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`)
    return i >= 0 ? Number(args[i + 1]) : undefined
  }
  const { markdown, results } = await runWebBench({
    rows: arg('rows'),
    runs: arg('runs'),
    localEdits: arg('local-edits'),
    burst: arg('burst'),
  })
  writeResult('web', results)
  console.log(markdown)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const guard = setTimeout(() => {
    console.error('web bench: time limit (20 min) reached')
    process.exit(2)
  }, 20 * 60_000)
  guard.unref()
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e)
      process.exit(1)
    },
  )
}
