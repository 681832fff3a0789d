/**
 * Where an .xlsx import's memory goes (issue #15, import memory), in Node: the benchmark's
 * 100,000 × 12 ledger exported with our `exportXlsx`, then imported step by step, the heap that
 * each step keeps measured after forced collections (retained, not garbage). The reference, in the
 * same run: SheetJS's own `read` of the same file (the pre-streaming reader), kept the same way.
 * From the repository root:
 *   node --expose-gc --import tsx bench/xlsx/importMemory.ts [--rows 100000]
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
import { exportXlsx, openXlsx, readWorksheet } from '../../shared/src/xlsx/index.js'
import { makeCsv } from '../csv/data.js'
import { benchSize } from '../csv/summary.js'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc')
/** Heap kept (JS heap + array buffers) after two full collections. */
const kept = () => {
  gc()
  gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}
const MB = (n: number) => +(n / 1024 / 1024).toFixed(1)
const { rows } = benchSize()

const parsed = parseCsvText(makeCsv(rows))
if (!parsed.ok) throw new Error('csv')
const src = Workbook.create(new Y.Doc(), { title: '基准台账' })
const plan0 = planImport(parsed.table, suggestMapping(parsed.table, []), undefined, {
  mode: 'append',
  onMisfit: 'text',
})
if (!plan0.ok) throw new Error('plan')
const r0 = applyImportPlan(src, { newSheetName: '台账' }, plan0.plan)
if (!r0.ok) throw new Error('apply')
const { bytes } = await exportXlsx(src, { sheets: [{ sheetId: r0.report.sheetId }] })
const file = bytes.length

const out: Record<string, number> = { rows, fileMB: MB(file) }
const base = kept()
let t = performance.now()
{
  // Block-scoped: collectable once measured.
  const wb = XLSX.read(bytes, { type: 'array', dense: true, cellNF: true, cellStyles: true })
  out.sheetjsReadMs = Math.round(performance.now() - t)
  out.sheetjsReadKeptMB = MB(kept() - base)
  if (wb.SheetNames.length !== 1) throw new Error('sheetjs read')
}

const h0 = kept()
t = performance.now()
const opened = await openXlsx(bytes)
if (!opened.ok) throw new Error(JSON.stringify(opened.refusal))
out.openMs = Math.round(performance.now() - t)
out.openKeptMB = MB(kept() - h0)
t = performance.now()
const read = readWorksheet(opened.book, opened.book.worksheets[0]!.name)
if (!read.ok) throw new Error(JSON.stringify(read.refusal))
out.tableMs = Math.round(performance.now() - t)
out.openTableKeptMB = MB(kept() - h0)
t = performance.now()
const plan = planImport(read.table, suggestMapping(read.table, []), undefined, {
  mode: 'append',
  onMisfit: 'text',
})
if (!plan.ok) throw new Error('plan')
out.planMs = Math.round(performance.now() - t)
out.openTablePlanKeptMB = MB(kept() - h0)
const dst = Workbook.create(new Y.Doc(), { title: 'dst' })
t = performance.now()
const applied = await applyImportPlanStaged(dst, { newSheetName: '台账' }, plan.plan, {})
if (!applied.ok || applied.report.added !== rows) throw new Error('apply')
out.applyMs = Math.round(performance.now() - t)
out.allKeptMB = MB(kept() - h0)
out.readKeptRatio = +((out.openTablePlanKeptMB * 1024 * 1024) / file).toFixed(2)
out.allKeptRatio = +((out.allKeptMB * 1024 * 1024) / file).toFixed(2)
out.sheetjsKeptRatio = +((out.sheetjsReadKeptMB * 1024 * 1024) / file).toFixed(2)
console.log(JSON.stringify(out, null, 1))
