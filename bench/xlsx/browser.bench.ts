/**
 * .xlsx benchmark in Chromium (issue #15 §6): bundles browserEntry.ts with Vite and runs it in
 * Debian's Chromium through playwright-core, one fresh page per run. From the repository root:
 *   npx tsx bench/xlsx/browser.bench.ts [--rows 100000] [--runs 3] [--trace]
 * Writes bench/results/xlsx.json (medians and every run). `--trace` records a CDP trace of each run's
 * import apply and prints what its longest main-thread tasks were made of (applyTrace.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { CHROMIUM } from '../../web/e2e/harness.js'
import { type CDPSession, chromium } from '../../web/node_modules/playwright-core/index.mjs'
import { benchSize, medians } from '../csv/summary.js'
import { type TraceEvent, taskBreakdown } from './applyTrace.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '../..')
const { rows, runs } = benchSize()

const outDir = mkdtempSync(join(tmpdir(), 'tz-xlsx-browser-'))
await build({
  configFile: false,
  root: repo,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: {
      entry: join(here, 'browserEntry.ts'),
      formats: ['iife'],
      name: 'TzXlsxBench',
      fileName: () => 'bench.js',
    },
  },
})
const script = readFileSync(join(outDir, 'bench.js'), 'utf8')

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
})
/**
 * A page's used JS heap; with `collect`, after full collections and time for the concurrent
 * sweeper (right after one collection the used size still counts what is being swept).
 */
async function heapOf(cdp: CDPSession, collect: boolean): Promise<number> {
  if (collect)
    for (let i = 0; i < 3; i++) {
      await cdp.send('HeapProfiler.collectGarbage')
      await new Promise((r) => setTimeout(r, 300))
    }
  return (await cdp.send('Runtime.getHeapUsage')).usedSize
}

/**
 * The JS heap in use of a page's workers, summed: a second CDP session on the page auto-attaches
 * to them (non-flat sessions, messages through `Target.sendMessageToTarget`, so Playwright's own
 * session is left alone) and reads `Runtime.getHeapUsage` on each, after collections if `collect`.
 */
async function workerHeaps(cdp: CDPSession) {
  const sessions = new Set<string>()
  const replies = new Map<number, (v: unknown) => void>()
  let id = 0
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') sessions.add(e.sessionId)
  })
  cdp.on('Target.detachedFromTarget', (e) => sessions.delete(e.sessionId ?? ''))
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message) as { id: number; result?: unknown }
    replies.get(m.id)?.(m.result)
    replies.delete(m.id)
  })
  await cdp.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: false,
    flatten: false,
  })
  const send = (sessionId: string, method: string) =>
    new Promise<unknown>((resolve) => {
      const i = ++id
      replies.set(i, resolve)
      void cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id: i, method, params: {} }),
      })
    })
  return async (collect: boolean): Promise<number> => {
    let sum = 0
    for (const s of sessions) {
      if (collect)
        for (let i = 0; i < 3; i++) {
          await send(s, 'HeapProfiler.collectGarbage')
          await new Promise((r) => setTimeout(r, 300))
        }
      sum += ((await send(s, 'Runtime.getHeapUsage')) as { usedSize: number }).usedSize
    }
    return sum
  }
}

const tracing = process.argv.includes('--trace')
const traces: ReturnType<typeof taskBreakdown>[] = []
/** `tzTrace` for a page: a CDP trace of what runs between start and stop (`--trace` only). */
function tracer(cdp: CDPSession) {
  let events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as TraceEvent[])))
  return async (on: boolean) => {
    if (!tracing) return
    if (on) {
      events = []
      await cdp.send('Tracing.start', {
        categories:
          'devtools.timeline,disabled-by-default-devtools.timeline,v8,v8.execute,blink.user_timing',
        transferMode: 'ReportEvents',
      })
      return
    }
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r))
    await cdp.send('Tracing.end')
    await done
    traces.push(taskBreakdown(events))
  }
}

const all: Record<string, number>[] = []
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage()
    // The page's heap through CDP (browserEntry.ts says why not performance.memory).
    const cdp = await page.context().newCDPSession(page)
    await page.exposeFunction('tzHeap', (collect: boolean) => heapOf(cdp, collect))
    await page.exposeFunction('tzWorkerHeap', await workerHeaps(cdp))
    await page.exposeFunction('tzTrace', tracer(cdp))
    await page.setContent('<!doctype html><meta charset="utf-8"><title>xlsx bench</title>')
    await page.addScriptTag({ content: script })
    const r = (await page.evaluate(
      ([n, src]) =>
        (
          globalThis as unknown as {
            runXlsxBench: (n: number, src: string) => Promise<Record<string, number>>
          }
        ).runXlsxBench(n as number, src as string),
      [rows, script] as const,
    )) as Record<string, number>
    const b64 = (await page.evaluate(() =>
      (globalThis as unknown as { lastFileBase64: () => string }).lastFileBase64(),
    )) as string
    await page.close()
    // Memory of the import in fresh pages holding nothing else, one per reader.
    const m: Record<string, number> = {}
    for (const reader of ['ours', 'released', 'app', 'appKeep', 'sheetjs'] as const) {
      const fresh = await browser.newPage()
      const cdp2 = await fresh.context().newCDPSession(fresh)
      await fresh.exposeFunction('tzHeap', (collect: boolean) => heapOf(cdp2, collect))
      await fresh.exposeFunction('tzWorkerHeap', await workerHeaps(cdp2))
      await fresh.setContent('<!doctype html><meta charset="utf-8"><title>xlsx memory</title>')
      await fresh.addScriptTag({ content: script })
      Object.assign(
        m,
        await fresh.evaluate(
          ([src, which, code]) =>
            (
              globalThis as unknown as {
                runXlsxImportMemory: (
                  b64: string,
                  r: string,
                  script: string,
                ) => Promise<Record<string, number>>
              }
            ).runXlsxImportMemory(src as string, which as string, code as string),
          [b64, reader, script] as const,
        ),
      )
      await fresh.close()
    }
    const run = { ...r, ...m, loadAverage: loadavg()[0]! }
    all.push(run)
    console.log(`run ${i + 1}`, JSON.stringify(run))
  }
} finally {
  await browser.close()
}
const med = medians(all)
const summary = {
  importMs: med.importMs,
  bareReadMs: med.bareReadMs,
  importRatio: +(med.importMs! / med.bareReadMs!).toFixed(2),
  exportMs: med.exportMs,
  bareWriteMs: med.bareWriteMs,
  exportRatio: +(med.exportMs! / med.bareWriteMs!).toFixed(2),
  exportLongestTaskMs: med.exportLongestTaskMs,
  exportWorkerMs: med.exportWorkerMs,
  exportWorkerLongestTaskMs: med.exportWorkerLongestTaskMs,
  importApplyLongestTaskMs: med.importApplyLongestTaskMs,
  importSliceMaxMs: med.importSliceMaxMs,
  importSliceMaxRows: med.importSliceMaxRows,
  importPublishMs: med.importPublishMs,
  exportWorkerPartsMs: med.exportWorkerPartsMs,
  importHeapRatio: +(med.importHeapBytes! / med.fileBytes!).toFixed(2),
  importApplyHeapRatio: +(med.importApplyHeapBytes! / med.fileBytes!).toFixed(2),
  importReadKeptRatio: +(med.importReadKeptBytes! / med.fileBytes!).toFixed(2),
  importKeptRatio: +(med.importKeptBytes! / med.fileBytes!).toFixed(2),
  openKeptRatio: +(med.openKeptBytes! / med.fileBytes!).toFixed(2),
  openTableKeptRatio: +(med.openTableKeptBytes! / med.fileBytes!).toFixed(2),
  releasedPlanKeptRatio: +(med.releasedPlanKeptBytes! / med.fileBytes!).toFixed(2),
  releasedApplyHeapRatio: +(med.releasedApplyHeapBytes! / med.fileBytes!).toFixed(2),
  releasedKeptRatio: +(med.releasedKeptBytes! / med.fileBytes!).toFixed(2),
  appReadKeptRatio: +(med.appReadKeptBytes! / med.fileBytes!).toFixed(2),
  appPlanKeptRatio: +(med.appPlanKeptBytes! / med.fileBytes!).toFixed(2),
  appApplyHeapRatio: +(med.appApplyHeapBytes! / med.fileBytes!).toFixed(2),
  appKeptRatio: +(med.appKeptBytes! / med.fileBytes!).toFixed(2),
  appKeepApplyHeapRatio: +(med.appKeepApplyHeapBytes! / med.fileBytes!).toFixed(2),
  appKeepKeptRatio: +(med.appKeepKeptBytes! / med.fileBytes!).toFixed(2),
  appKeepApplyWorkerHeapRatio: +(med.appKeepApplyWorkerHeapBytes! / med.fileBytes!).toFixed(2),
  bareReadHeapRatio: +(med.bareReadHeapBytes! / med.fileBytes!).toFixed(2),
  bareReadKeptRatio: +(med.bareReadKeptBytes! / med.fileBytes!).toFixed(2),
  fileBytes: med.fileBytes,
}
console.log('chromium xlsx', JSON.stringify(summary, null, 1))
if (tracing) console.log('import apply, longest tasks by run', JSON.stringify(traces, null, 1))
writeFileSync(
  join(repo, 'bench/results/xlsx.json'),
  `${JSON.stringify(
    {
      rows,
      runs,
      chromium: browser.version(),
      summary,
      median: med,
      runs_: all,
      ...(tracing ? { applyTraces: traces } : {}),
    },
    null,
    2,
  )}\n`,
)
