/**
 * Runs in Chromium (bundled by browser.bench.ts): the app's .xlsx import and export on 100,000 × 12
 * ledger rows, next to SheetJS's bare read and write of the same cells, in one page.
 */
import * as XLSX from '../../shared/node_modules/@e965/xlsx/xlsx.mjs'
import * as Y from '../../shared/node_modules/yjs/dist/yjs.mjs'
import {
  applyImportPlan,
  applyImportPlanStaged,
  parseCsvText,
  planImport,
  suggestMapping,
  Workbook,
} from '../../shared/src/index.js'
import {
  exportXlsx,
  openXlsx,
  readWorksheet,
  XlsxBookWriter,
  xlsxSheetParts,
} from '../../shared/src/xlsx/index.js'
import { makeCsvImporter } from '../../web/src/csv/importClient.js'
import type { FromWorker, ToWorker } from '../../web/src/csv/protocol.js'
import { createCsvWorkerCore } from '../../web/src/csv/workerCore.js'
import type { ToExportWorker } from '../../web/src/xlsx/exportProtocol.js'
import { nextTask as appNextTask, postSheetSlices } from '../../web/src/xlsx/exportSlices.js'
import { makeCsv } from '../csv/data.js'

/**
 * The page's JS heap in use, read by the bench through CDP (`Runtime.getHeapUsage`; with `collect`,
 * after `HeapProfiler.collectGarbage`). `performance.memory` is not used: headless Chromium 156
 * leaves `usedJSHeapSize` unchanged for seconds, whatever the flags, so differences read from it
 * were not the steps' own.
 */
const heapNow = (collect: boolean): Promise<number> =>
  (globalThis as unknown as { tzHeap: (collect: boolean) => Promise<number> }).tzHeap(collect)
const heap = () => heapNow(false)
/** The JS heap in use of the page's workers (the import worker), through CDP like `heapNow`. */
const workerHeapNow = (collect: boolean): Promise<number> =>
  (globalThis as unknown as { tzWorkerHeap: (collect: boolean) => Promise<number> }).tzWorkerHeap(
    collect,
  )
/** Starts or stops a CDP trace of the page (bench `--trace`); a no-op when not tracing. */
const trace = (on: boolean): Promise<void> =>
  (globalThis as unknown as { tzTrace: (on: boolean) => Promise<void> }).tzTrace(on)
const gc = () => heapNow(true)
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10

/** A macrotask boundary: what ran before ends its task here. */
const nextTask = () => new Promise<void>((r) => setTimeout(r, 0))

/**
 * The longest task (PerformanceObserver 'longtask', ≥ 50 ms) while `fn` runs; starts on a fresh
 * task so that nothing run before is counted.
 */
async function longestTask<T>(fn: () => Promise<T>): Promise<{ value: T; longestMs: number }> {
  await nextTask()
  let longest = 0
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longest = Math.max(longest, e.duration)
  })
  obs.observe({ type: 'longtask', buffered: false })
  const value = await fn()
  // Let the observer deliver the last entries.
  await new Promise((r) => setTimeout(r, 50))
  obs.disconnect()
  return { value, longestMs: Math.round(longest) }
}

/** A workbook holding the benchmark's ledger (the same rows as the CSV benchmark). */
function ledger(rows: number): { wb: Workbook; sheetId: string } {
  const parsed = parseCsvText(makeCsv(rows))
  if (!parsed.ok) throw new Error('csv')
  const wb = Workbook.create(new Y.Doc(), { title: '基准台账' })
  const plan = planImport(parsed.table, suggestMapping(parsed.table, []), undefined, {
    mode: 'append',
    onMisfit: 'text',
  })
  if (!plan.ok) throw new Error('plan')
  const r = applyImportPlan(wb, { newSheetName: '台账' }, plan.plan)
  if (!r.ok) throw new Error('apply')
  return { wb, sheetId: r.report.sheetId }
}

/**
 * The web app's export path (web/src/xlsx/exportXlsxFile.ts): the sheet read on the main thread in
 * time-budgeted slices of compact columns by the app's own `postSheetSlices` and `nextTask`, a task
 * each, transferred to a worker running this same bundle, which writes each slice as it arrives.
 */
/** How long `xlsxSheetParts` (row ids, formats) took in the last `exportViaWorker`: one task. */
let partsMs = 0

async function exportViaWorker(wb: Workbook, sheetId: string, script: string): Promise<number> {
  const worker = new Worker(URL.createObjectURL(new Blob([script], { type: 'text/javascript' })))
  try {
    const done = new Promise<number>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ bytes: number }>) => resolve(e.data.bytes)
      worker.onerror = (e) => reject(new Error(e.message))
    })
    const tp = performance.now()
    const parts = xlsxSheetParts(wb, { sheets: [{ sheetId }] })
    partsMs = ms(tp)
    const post = (m: ToExportWorker, transfer: ArrayBuffer[] = []) =>
      worker.postMessage(m, transfer)
    post({ type: 'book', title: wb.meta().title, titleRow: false })
    await postSheetSlices(parts, post, { nextTask: appNextTask })
    post({ type: 'finish' })
    return await done
  } finally {
    worker.terminate()
  }
}

// In a worker named csv-import: the app's import worker (web/src/csv/csvWorker.ts), its same core.
const workerName = typeof document === 'undefined' ? (globalThis as { name?: string }).name : null
if (workerName === 'csv-import') {
  const handle = createCsvWorkerCore((msg: FromWorker, transfer?: Transferable[]) =>
    postMessage(msg, { transfer: transfer ?? [] }),
  )
  ;(globalThis as unknown as { onmessage: (e: MessageEvent<ToWorker>) => void }).onmessage = (
    e,
  ) => {
    handle(e.data).catch((err: unknown) => postMessage({ type: 'error', message: String(err) }))
  }
}
// In the other worker: the same messages and writer as web/src/xlsx/exportWorker.ts.
else if (typeof document === 'undefined') {
  let writer: XlsxBookWriter | undefined
  ;(globalThis as unknown as { onmessage: (e: MessageEvent) => void }).onmessage = (e) => {
    const m = e.data as ToExportWorker
    if (m.type === 'book') writer = new XlsxBookWriter(m.title, m.titleRow)
    else if (m.type === 'sheet') writer!.startSheet(m.head)
    else if (m.type === 'rows') writer!.rows(m.slice)
    else void writer!.finish().then((r) => postMessage({ bytes: r.bytes.length }))
  }
}

export async function runXlsxBench(rows: number, script: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  const { wb, sheetId } = ledger(rows)
  await nextTask()

  // The app's path: slices on the main thread, the write in a worker.
  await gc()
  const tw = performance.now()
  const viaWorker = await longestTask(() => exportViaWorker(wb, sheetId, script))
  out.exportWorkerMs = ms(tw)
  out.exportWorkerLongestTaskMs = viaWorker.longestMs
  out.exportWorkerFileBytes = viaWorker.value
  out.exportWorkerPartsMs = partsMs

  // Export: ours (typed cells, formats, frozen header, filter, widths; native deflate).
  await gc()
  const h0 = await heap()
  let t0 = performance.now()
  const exp = await longestTask(() => exportXlsx(wb, { sheets: [{ sheetId }] }))
  out.exportMs = ms(t0)
  out.exportLongestTaskMs = exp.longestMs
  out.exportHeapBytes = (await heap()) - h0
  const bytes = exp.value.bytes
  out.fileBytes = bytes.length

  // SheetJS bare write of the same cells (an array of rows built beforehand).
  const sheet = wb.sheet(sheetId)
  const cols = sheet.columns()
  const aoa: unknown[][] = [cols.map((c) => c.name)]
  for (const r of sheet.readRows()) aoa.push(cols.map((c) => r.cells[c.id] ?? null))
  await gc()
  t0 = performance.now()
  const ws = XLSX.utils.aoa_to_sheet(aoa, { dense: true })
  const book = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(book, ws, '台账')
  const bare = XLSX.write(book, {
    type: 'array',
    bookType: 'xlsx',
    compression: true,
  }) as ArrayBuffer
  out.bareWriteMs = ms(t0)
  out.bareFileBytes = bare.byteLength

  // SheetJS bare read of our file.
  await gc()
  t0 = performance.now()
  const parsed = XLSX.read(bytes, { type: 'array', dense: true })
  out.bareReadMs = ms(t0)
  if (!parsed.SheetNames.length) throw new Error('bare read')

  // Import: guard + read + worksheet table + mapping + plan (the app's worker), then the staged
  // apply (the app's main thread) into a new workbook. Times here; memory in a fresh page
  // (`runXlsxImportMemory`), where nothing made before can be freed during it.
  await gc()
  t0 = performance.now()
  const opened = await openXlsx(bytes)
  if (!opened.ok) throw new Error(JSON.stringify(opened.refusal))
  const read = readWorksheet(opened.book, opened.book.worksheets[0]!.name)
  if (!read.ok) throw new Error(JSON.stringify(read.refusal))
  const plan = planImport(read.table, suggestMapping(read.table, []), undefined, {
    mode: 'append',
    onMisfit: 'text',
  })
  if (!plan.ok) throw new Error('plan')
  out.importReadPlanMs = ms(t0)
  const dst = Workbook.create(new Y.Doc(), { title: 'dst' })
  await nextTask()
  const t1 = performance.now()
  // Each slice's time (from the task's start to its progress call) and rows, and the publish
  // (from the last resume to the end): the app's defaults, with the same macrotask pause.
  const slices: { ms: number; rows: number }[] = []
  let resumed = 0
  let ended = 0
  let written = 0
  await trace(true)
  const applied = await longestTask(() => {
    resumed = performance.now()
    return applyImportPlanStaged(dst, { newSheetName: '台账' }, plan.plan, {
      onProgress: (w) => {
        slices.push({ ms: performance.now() - resumed, rows: w - written })
        written = w
      },
      pause: () =>
        new Promise<void>((r) =>
          setTimeout(() => {
            resumed = performance.now()
            r()
          }, 0),
        ),
    }).then((r) => {
      ended = performance.now()
      return r
    })
  })
  out.importPublishMs = Math.round((ended - resumed) * 10) / 10
  await trace(false)
  out.importSlices = slices.length
  out.importSliceMaxMs = Math.round(Math.max(...slices.map((x) => x.ms)))
  out.importSliceMaxRows = Math.max(...slices.map((x) => x.rows))
  out.importApplyMs = ms(t1)
  out.importApplyLongestTaskMs = applied.longestMs
  out.importMs = out.importReadPlanMs + out.importApplyMs
  if (!applied.value.ok || applied.value.report.added !== rows) throw new Error('apply')
  lastFile = bytes
  return out
}

/** The file the last run exported, as base64 (handed to a fresh page for the memory run). */
let lastFile: Uint8Array | undefined
export function lastFileBase64(): string {
  let s = ''
  const f = lastFile!
  for (let i = 0; i < f.length; i += 0x8000) s += String.fromCharCode(...f.subarray(i, i + 0x8000))
  return btoa(s)
}

/**
 * SheetJS's `read` of the file: heap growth, and what its workbook keeps. A function of its own, so
 * that nothing of it stays referenced from the caller's frame afterwards (a block scope in an
 * async function does not end the reference: the suspended frame still holds it).
 */
async function bareReadMemory(bytes: Uint8Array): Promise<Record<string, number>> {
  const h0 = await gc()
  const parsed = XLSX.read(bytes, { type: 'array', dense: true })
  const grown = (await heap()) - h0
  const kept = (await gc()) - h0
  if (!parsed.SheetNames.length) throw new Error('bare read')
  return { bareReadHeapBytes: grown, bareReadKeptBytes: kept }
}

/**
 * The app's import as a whole (web/src/csv/importFlow.ts): the app's importer client and worker core
 * (`makeCsvImporter`, `createCsvWorkerCore`, in a worker named csv-import running this bundle), the
 * plan crossing to the page as the app receives it, then — with `release` — the worker told to drop
 * its table and book, and the staged apply on the page. Heaps of the page and the worker summed
 * (`Runtime.getHeapUsage` on each, the worker's over its heap with the code loaded; typed arrays'
 * and the file's backing stores are outside it, as in the other rows). Prefix `app` with the
 * release (which ends the idle worker), `appKeep` without (the app before f56c876).
 */
async function appImportMemory(
  bytes: Uint8Array,
  script: string,
  release: boolean,
): Promise<Record<string, number>> {
  const p = release ? 'app' : 'appKeep'
  const out: Record<string, number> = {}
  const url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }))
  const imp = makeCsvImporter(() => new Worker(url, { name: 'csv-import' }))
  const settings = {
    encoding: 'auto',
    delimiter: 'auto',
    header: 'auto',
    xlsx: { includeTotals: false, fillMerged: true },
  } as const
  // Start the worker (its code loaded) before the baseline; `release(true)` keeps it running.
  if (!(await imp.read(new Blob(['a\n1\n']), settings, [], () => {})).ok) throw new Error('warm')
  imp.release(true)
  const file = new File([bytes as Uint8Array<ArrayBuffer>], 'bench.xlsx')
  const page0 = await heapNow(true)
  const worker0 = await workerHeapNow(true)
  out[`${p}WorkerBaseBytes`] = worker0
  /**
   * What the import added: the page's growth + the worker's over its loaded code. An ended worker
   * counts 0 (its code freed too: not counted as a saving, the baseline worker is left out).
   */
  const added = async (collect: boolean) => {
    const page = (await heapNow(collect)) - page0
    const worker = await workerHeapNow(collect)
    return { page, worker: worker > 0 ? worker - worker0 : 0 }
  }
  const sum = (a: { page: number; worker: number }) => a.page + a.worker
  const read = await imp.read(file, settings, [], () => {})
  if (!read.ok) throw new Error(JSON.stringify(read.refusal))
  out[`${p}ReadKeptBytes`] = sum(await added(true))
  const planned = await imp.plan(read.summary.mapping, [], null, {
    mode: 'append',
    onMisfit: 'text',
  })
  if (!planned.ok) throw new Error('plan')
  out[`${p}PlanKeptBytes`] = sum(await added(true))
  if (release) imp.release(false)
  const dst = Workbook.create(new Y.Doc(), { title: 'dst' })
  const applied = await applyImportPlanStaged(dst, { newSheetName: '台账' }, planned.plan, {})
  if (!applied.ok) throw new Error('apply')
  const grown = await added(false)
  out[`${p}ApplyHeapBytes`] = sum(grown)
  out[`${p}ApplyWorkerHeapBytes`] = grown.worker
  out[`${p}KeptBytes`] = sum(await added(true))
  // The plan, the summary and the new workbook stay referenced until here (as in the dialog).
  if (planned.plan.adds.count === 0 || dst.meta().title !== 'dst' || !read.summary)
    throw new Error('kept')
  imp.dispose()
  URL.revokeObjectURL(url)
  return out
}

/** Read + table + plan of the file's first worksheet. */
async function readAndPlan(bytes: Uint8Array) {
  const opened = await openXlsx(bytes)
  if (!opened.ok) throw new Error(JSON.stringify(opened.refusal))
  const read = readWorksheet(opened.book, opened.book.worksheets[0]!.name)
  if (!read.ok) throw new Error(JSON.stringify(read.refusal))
  const plan = planImport(read.table, suggestMapping(read.table, []), undefined, {
    mode: 'append',
    onMisfit: 'text',
  })
  if (!plan.ok) throw new Error('plan')
  return plan.plan
}

/**
 * Memory of one import in a fresh page (one page per reader: what one reader freed late was seen
 * counted against the next): the heap kept (after full collections, through CDP) by SheetJS's
 * `read` of the file — the reader the streaming one replaced — or by our read + table + plan, then
 * with the staged apply's new workbook; and the growth without a collection right after each step
 * (garbage included).
 * - `ours`: the app as it is: the import worker keeps the opened workbook (to switch worksheets
 *   and options) and the table (for another plan) while the main thread applies the plan, so the
 *   book, the table and the plan all stay referenced through the apply. Kept after each step too.
 * - `released`: the same with the book and the table let go before the apply (only the plan
 *   left): what the import would hold if the worker dropped them when the apply starts.
 */
export async function runXlsxImportMemory(
  b64: string,
  reader: 'ours' | 'released' | 'sheetjs' | 'app' | 'appKeep',
  script: string,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  const bin = atob(b64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  out.fileBytes = bytes.length
  if (reader === 'sheetjs') return Object.assign(out, await bareReadMemory(bytes))
  if (reader === 'app' || reader === 'appKeep')
    return Object.assign(out, await appImportMemory(bytes, script, reader === 'app'))
  if (reader === 'released') {
    const h0 = await gc()
    const plan = await readAndPlan(bytes)
    out.releasedPlanKeptBytes = (await gc()) - h0
    const dst = Workbook.create(new Y.Doc(), { title: 'dst' })
    const applied = await applyImportPlanStaged(dst, { newSheetName: '台账' }, plan, {})
    if (!applied.ok) throw new Error('apply')
    out.releasedApplyHeapBytes = (await heap()) - h0
    out.releasedKeptBytes = (await gc()) - h0
    if (plan.adds.count === 0 || dst.meta().title !== 'dst') throw new Error('kept')
    return out
  }
  const h0 = await gc()
  const opened = await openXlsx(bytes)
  if (!opened.ok) throw new Error(JSON.stringify(opened.refusal))
  out.openKeptBytes = (await gc()) - h0
  const read = readWorksheet(opened.book, opened.book.worksheets[0]!.name)
  if (!read.ok) throw new Error(JSON.stringify(read.refusal))
  out.openTableKeptBytes = (await gc()) - h0
  const plan = planImport(read.table, suggestMapping(read.table, []), undefined, {
    mode: 'append',
    onMisfit: 'text',
  })
  if (!plan.ok) throw new Error('plan')
  out.importHeapBytes = (await heap()) - h0
  out.importReadKeptBytes = (await gc()) - h0
  const dst = Workbook.create(new Y.Doc(), { title: 'dst' })
  const applied = await applyImportPlanStaged(dst, { newSheetName: '台账' }, plan.plan, {})
  if (!applied.ok) throw new Error('apply')
  out.importApplyHeapBytes = (await heap()) - h0
  out.importKeptBytes = (await gc()) - h0
  // Everything measured stays referenced until here.
  if (!opened.ok || !read.ok || !plan.ok || dst.meta().title !== 'dst') throw new Error('kept')
  return out
}

;(
  globalThis as unknown as { runXlsxImportMemory: typeof runXlsxImportMemory }
).runXlsxImportMemory = runXlsxImportMemory
;(globalThis as unknown as { lastFileBase64: typeof lastFileBase64 }).lastFileBase64 =
  lastFileBase64
;(globalThis as unknown as { runXlsxBench: typeof runXlsxBench }).runXlsxBench = runXlsxBench
