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
  writeXlsxBook,
  type XlsxSheetInput,
  xlsxSheetParts,
} from '../../shared/src/xlsx/index.js'
import { makeCsv } from '../csv/data.js'

type Mem = { usedJSHeapSize: number }
const heap = () => (performance as unknown as { memory?: Mem }).memory?.usedJSHeapSize ?? 0
const gc = () => (globalThis as { gc?: () => void }).gc?.()
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10

/** A macrotask boundary: what ran before ends its task here. */
const nextTask = () => new Promise((r) => setTimeout(r, 0))

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
 * The web app's export path (web/src/xlsx/exportXlsxFile.ts): 4,000-row slices read on the main
 * thread, a task each, posted to a worker running this same bundle, which writes the file.
 */
async function exportViaWorker(wb: Workbook, sheetId: string, script: string): Promise<number> {
  const worker = new Worker(URL.createObjectURL(new Blob([script], { type: 'text/javascript' })))
  try {
    const done = new Promise<number>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ bytes: number }>) => resolve(e.data.bytes)
      worker.onerror = (e) => reject(new Error(e.message))
    })
    for (const p of xlsxSheetParts(wb, { sheets: [{ sheetId }] })) {
      worker.postMessage({ type: 'sheet', name: p.name, header: p.header, widths: p.widths })
      for (let from = 0; from < p.rowCount; from += 4000) {
        worker.postMessage({ type: 'rows', rows: p.cells(from, from + 4000) })
        await nextTask()
      }
    }
    worker.postMessage({ type: 'write', title: wb.meta().title, titleRow: false })
    return await done
  } finally {
    worker.terminate()
  }
}

// In the worker: the same messages as web/src/xlsx/exportWorker.ts.
if (typeof document === 'undefined') {
  const sheets: XlsxSheetInput[] = []
  ;(globalThis as unknown as { onmessage: (e: MessageEvent) => void }).onmessage = (e) => {
    const m = e.data as
      | { type: 'sheet'; name: string; header: string[]; widths: number[] }
      | { type: 'rows'; rows: XlsxSheetInput['rows'] }
      | { type: 'write'; title: string; titleRow: boolean }
    if (m.type === 'sheet')
      sheets.push({ name: m.name, header: m.header, widths: m.widths, rows: [] })
    else if (m.type === 'rows') for (const r of m.rows) sheets[sheets.length - 1]!.rows.push(r)
    else
      void writeXlsxBook({ title: m.title, titleRow: m.titleRow, sheets }).then((r) =>
        postMessage({ bytes: r.bytes.length }),
      )
  }
}

export async function runXlsxBench(rows: number, script: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  const { wb, sheetId } = ledger(rows)
  await nextTask()

  // The app's path: slices on the main thread, the write in a worker.
  gc()
  const tw = performance.now()
  const viaWorker = await longestTask(() => exportViaWorker(wb, sheetId, script))
  out.exportWorkerMs = ms(tw)
  out.exportWorkerLongestTaskMs = viaWorker.longestMs
  out.exportWorkerFileBytes = viaWorker.value

  // Export: ours (typed cells, formats, frozen header, filter, widths; native deflate).
  gc()
  let h0 = heap()
  let t0 = performance.now()
  const exp = await longestTask(() => exportXlsx(wb, { sheets: [{ sheetId }] }))
  out.exportMs = ms(t0)
  out.exportLongestTaskMs = exp.longestMs
  out.exportHeapBytes = heap() - h0
  const bytes = exp.value.bytes
  out.fileBytes = bytes.length

  // SheetJS bare write of the same cells (an array of rows built beforehand).
  const sheet = wb.sheet(sheetId)
  const cols = sheet.columns()
  const aoa: unknown[][] = [cols.map((c) => c.name)]
  for (const r of sheet.readRows()) aoa.push(cols.map((c) => r.cells[c.id] ?? null))
  gc()
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
  gc()
  h0 = heap()
  t0 = performance.now()
  const parsed = XLSX.read(bytes, { type: 'array', dense: true })
  out.bareReadMs = ms(t0)
  out.bareReadHeapBytes = heap() - h0
  if (!parsed.SheetNames.length) throw new Error('bare read')

  // Import: guard + read + worksheet table + mapping + plan (the app's worker), then the staged
  // apply (the app's main thread) into a new workbook.
  gc()
  h0 = heap()
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
  let peak = heap() - h0
  const dst = Workbook.create(new Y.Doc(), { title: 'dst' })
  await nextTask()
  const t1 = performance.now()
  const applied = await longestTask(() =>
    applyImportPlanStaged(dst, { newSheetName: '台账' }, plan.plan, {}),
  )
  out.importApplyMs = ms(t1)
  out.importApplyLongestTaskMs = applied.longestMs
  out.importMs = ms(t0)
  peak = Math.max(peak, heap() - h0)
  out.importHeapBytes = peak
  if (!applied.value.ok || applied.value.report.added !== rows) throw new Error('apply')
  return out
}

;(globalThis as unknown as { runXlsxBench: typeof runXlsxBench }).runXlsxBench = runXlsxBench
