/**
 * Runs in Chromium (bundled by browser.bench.ts): the same import and export as the app, on the same
 * bytes as papaparse alone, in one page.
 */
import Papa from '../../shared/node_modules/papaparse/papaparse.js'
import * as Y from '../../shared/node_modules/yjs/dist/yjs.mjs'
import {
  applyImportPlan,
  type CsvByteSource,
  encodeCsvText,
  encodeGb18030,
  exportSheetCsv,
  exportSheetRows,
  planImport,
  readCsvSource,
  suggestMapping,
  Workbook,
  writeCsvText,
} from '../../shared/src/index.js'
import { makeCsv } from './data.js'

type Mem = { usedJSHeapSize: number }
const heap = () => (performance as unknown as { memory?: Mem }).memory?.usedJSHeapSize ?? 0
const gc = () => (globalThis as { gc?: () => void }).gc?.()
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10

/** The file's bytes (the text it was made from is not kept: it would blur the heap figures). */
function fileBytes(rows: number, encoding: 'utf-8' | 'gb18030'): Uint8Array {
  const text = makeCsv(rows)
  return encoding === 'gb18030' ? encodeGb18030(text) : new TextEncoder().encode(text)
}

/** papaparse alone on the same bytes, in a function of its own so nothing of it outlives it. */
async function papaparseAlone(blob: Blob, encoding: string, out: Record<string, number>) {
  gc()
  const h0 = heap()
  let t0 = performance.now()
  const decoded = new TextDecoder(encoding).decode(new Uint8Array(await blob.arrayBuffer()))
  const papa = Papa.parse<string[]>(decoded, { skipEmptyLines: true })
  out.papaparseMs = ms(t0)
  out.papaparseHeapBytes = heap() - h0
  t0 = performance.now()
  Papa.unparse(papa.data, { newline: '\r\n' })
  out.papaparseUnparseMs = ms(t0)
}

async function run(rows: number, encoding: 'utf-8' | 'gb18030') {
  const blob = new Blob([fileBytes(rows, encoding)])
  const out: Record<string, number> = { fileBytes: blob.size }
  await papaparseAlone(blob, encoding, out)
  gc()
  let t0: number
  const h0 = heap()
  const source: CsvByteSource = {
    size: blob.size,
    read: async (s, e) => new Uint8Array(await blob.slice(s, e).arrayBuffer()),
  }
  t0 = performance.now()
  let read: Awaited<ReturnType<typeof readCsvSource>> | undefined = await readCsvSource(source)
  out.decodeParseMs = ms(t0)
  if (!read.ok) throw new Error(JSON.stringify(read.refusal))
  out.readHeapBytes = heap() - h0
  t0 = performance.now()
  let planned: ReturnType<typeof planImport> | undefined = planImport(
    read.table,
    suggestMapping(read.table, []),
    undefined,
    { mode: 'append', onMisfit: 'text' },
  )
  out.planMs = ms(t0)
  if (!planned.ok) throw new Error('plan')
  const plan = planned.plan
  const wb = Workbook.create(new Y.Doc(), { title: 'bench' })
  t0 = performance.now()
  const applied = applyImportPlan(wb, { newSheetName: '导入' }, plan)
  out.applyMs = ms(t0)
  if (!applied.ok) throw new Error('apply')
  // Everything of the import still held (table, plan, doc; no collection forced): the peak.
  out.importHeapBytes = heap() - h0
  out.importMs = out.decodeParseMs + out.planMs + out.applyMs
  // The same apply with seeded ids: separates the model's per-id crypto cost from the import's own.
  let seed = 1
  let seeded: Workbook | undefined = Workbook.create(new Y.Doc(), {
    title: 'bench',
    random: () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    },
  })
  t0 = performance.now()
  applyImportPlan(seeded, { newSheetName: '导入' }, plan)
  out.applySeededIdsMs = ms(t0)
  seeded = undefined
  // What stays after the import: the doc alone (a floor for the peak).
  read = undefined
  planned = undefined
  plan.adds.columns = []
  gc()
  out.docHeapBytes = heap() - h0
  t0 = performance.now()
  const exported = exportSheetCsv(wb, applied.report.sheetId, { encoding })
  out.exportMs = ms(t0)
  out.exportBytes = exported.bytes.length
  // Where export time goes: rows (read + format + neutralise), unparse, encode.
  t0 = performance.now()
  const table = exportSheetRows(wb, applied.report.sheetId)
  out.exportRowsMs = ms(t0)
  t0 = performance.now()
  const csv = writeCsvText(table.header, table.rows)
  out.exportWriteMs = ms(t0)
  t0 = performance.now()
  encodeCsvText(csv, { encoding })
  out.exportEncodeMs = ms(t0)
  return out
}

;(globalThis as { runCsvBench?: typeof run }).runCsvBench = run
