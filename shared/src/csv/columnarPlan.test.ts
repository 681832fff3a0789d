import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seededRandom as prng } from '../model/ids.js'
import { Workbook } from '../model/workbook.js'
import type { CellValue } from '../schema/columnTypes.js'
import { parseValue } from '../schema/values.js'
import { applyImportPlan, applyImportPlanStaged, type ImportDestination } from './applyImport.js'
import {
  addedRow,
  addedValue,
  type ImportOptions,
  type ImportPlan,
  planImport,
  previewPlan,
} from './importPlan.js'
import type { ColumnMapping } from './mapping.js'
import { parseCsvText } from './parseCsv.js'

const N = 9000
const OPTIONS = ['红', '橙', '黄']
const REFS: Record<string, string> = { 甲站: 'row-a', 乙站: 'row-b' }

/**
 * Every column type, some columns repeating a few values (a dictionary), some distinct per row
 * (one value per row: numbers, and numbers turned text by a misfit), empty cells and misfits.
 */
function csv(): string {
  const lines = ['编号,名称,区,金额,覆盖率,日期,状态,示范,数,引用,备注']
  for (let i = 0; i < N; i++) {
    const key = i % 500 === 7 ? '' : i % 900 === 3 ? String(i - 1) : String(i) // empty and duplicate keys
    lines.push(
      [
        key,
        `站点${i}`,
        ['杨浦区', '淇县', ''][i % 3],
        i % 1000 === 5 ? 'x' : `"${(i * 1.5).toLocaleString('en-US')}"`,
        `${i % 40}.5%`,
        `2024-${String((i % 12) + 1).padStart(2, '0')}-0${(i % 9) + 1}`,
        OPTIONS[i % 3],
        i % 4 ? '是' : '否',
        i % 10 === 0 ? '' : String(i / 4),
        i % 5 === 0 ? '' : i % 2 ? '甲站' : '乙站',
        i % 3 ? `备注${i}` : '',
      ].join(','),
    )
  }
  return lines.join('\r\n') + '\r\n'
}

function setup() {
  const doc = new Y.Doc()
  doc.clientID = 7
  let t = 1_700_000_000_000
  const wb = Workbook.create(doc, { title: '台账', random: prng(11), now: () => t++ })
  const sheetId = wb.addSheet('站点')
  const s = wb.sheet(sheetId)
  const col = (name: string, type: Parameters<typeof s.addColumn>[0]['type'], extra = {}) =>
    s.addColumn({ name, type, ...extra })
  const ids = [
    col('编号', 'integer'),
    col('名称', 'text'),
    col('区', 'text'),
    col('金额', 'money', { format: { unit: '元' } }),
    col('覆盖率', 'percent'),
    col('日期', 'date'),
    col('状态', 'enum', { constraints: { options: OPTIONS.map((value) => ({ value })) } }),
    col('示范', 'boolean'),
    col('数', 'number'),
    col('引用', 'reference'),
    col('备注', 'text'),
  ]
  // Existing rows the upsert matches (keys 0, 100, …): some equal to the file, most not.
  s.insertRows(Array.from({ length: 40 }, (_, k) => ({ [ids[0]!]: k * 100, [ids[1]!]: `旧${k}` })))
  return { doc, wb, sheetId, ids }
}

function plan(
  wb: Workbook,
  dest: ImportDestination,
  ids: readonly string[],
  mode: 'append' | 'upsert',
  t = parseCsvText(csv()),
): ImportPlan {
  if (!t.ok) throw new Error('parse')
  const sheet = 'sheetId' in dest ? wb.sheet(dest.sheetId) : undefined
  const types = sheet?.columns().map((c) => c.type) ?? []
  const mapping: ColumnMapping[] = t.table.header.map((h, i) =>
    sheet
      ? { source: i, target: { kind: 'existing', colId: ids[i]! } }
      : {
          source: i,
          target: { kind: 'new', name: h, type: i === 9 ? 'text' : (types[i] ?? 'text') },
        },
  )
  const options: ImportOptions = {
    mode,
    onMisfit: 'text',
    resolveReference: (_colId, text) => REFS[text],
    ...(mode === 'upsert' ? { key: [0] } : {}),
  }
  const p = planImport(t.table, mapping, sheet, options)
  if (!p.ok) throw new Error(JSON.stringify(p.refusal))
  return p.plan
}

/** Each added row as the file says, converted cell by cell with `parseValue` (no dictionary, no memo). */
function expectedRow(p: ImportPlan, line: number, rows: readonly string[][]): CellValue[] {
  return p.targets.map((t) => {
    const raw = rows[line - 2]![t.source] ?? ''
    const r = parseValue(raw, t.column, {
      resolveReference: (text) => REFS[text],
    })
    return r.ok ? r.value : raw.trim()
  })
}

/** The cells of the rows `rowIds`, as value arrays aligned with `colIds`. */
function cellsOf(wb: Workbook, sheetId: string, rowIds: readonly string[], colIds: string[]) {
  const s = wb.sheet(sheetId)
  return rowIds.map((id) => {
    const cells = s.getAnyRow(id)!.cells
    return colIds.map((c) => cells[c] ?? null)
  })
}

describe('columnar plan: added rows kept column by column', () => {
  const table = parseCsvText(csv())
  if (!table.ok) throw new Error('parse')
  const rows = table.table.rows

  for (const mode of ['append', 'upsert'] as const)
    it(`${mode}: every column type lands exactly the cells a row-by-row conversion gives`, async () => {
      const one = setup()
      const p = plan(one.wb, { sheetId: one.sheetId }, one.ids, mode, table)
      // Dictionary, numbers and one-value-per-row columns are all exercised.
      expect(new Set(p.adds.columns.map((c) => c.kind))).toEqual(
        new Set(['dict', 'numbers', 'values']),
      )
      expect(p.adds.columns[3]!.kind).toBe('values') // 金额: numbers until the misfit 'x'
      expect(p.adds.columns[8]!.kind).toBe('numbers') // 数: empty cells are NaN
      const expected = Array.from(p.adds.lines, (line) => expectedRow(p, line, rows))
      expect(Array.from({ length: p.adds.count }, (_, k) => addedRow(p.adds, k))).toEqual(expected)
      // Row i = 0 (line 2) has no 数; in upsert mode it updates an existing row (key 0).
      expect(addedValue(p.adds, 0, 8)).toBe(mode === 'append' ? null : 0.25)

      if (mode === 'upsert') {
        // Keys 0, 100, … 3,900 are existing rows; empty and duplicate keys are skipped.
        expect(p.updates.length + p.unchanged).toBe(40)
        expect(p.adds.count).toBe(N - 40 - 18 - 10)
        expect(p.skipped.map((s) => [s.reason, s.count])).toEqual([
          ['duplicate-key', 10],
          ['empty-key', 18],
        ])
        const pv = previewPlan(p)
        expect(pv[0]).toMatchObject({ kind: 'update', line: 2 })
        expect(pv[1]).toEqual({ kind: 'add', line: 3, values: expected[0] })
      } else {
        expect(p.adds.count).toBe(N)
        expect(Array.from(p.adds.lines.slice(0, 3))).toEqual([2, 3, 4])
      }
      // Every row added, in order (append): a dictionary column's codes are the table's own, no copy.
      const area = p.adds.columns[2]!
      if (area.kind !== 'dict') throw new Error('区 is a dictionary column')
      expect(area.codes.buffer === table.table.data[2]!.dictionary()!.codes.buffer).toBe(
        mode === 'append',
      )

      // One transaction and staged slices write the same records from the columns.
      const two = setup()
      const p2 = plan(two.wb, { sheetId: two.sheetId }, two.ids, mode)
      const r1 = applyImportPlan(one.wb, { sheetId: one.sheetId }, p)
      const r2 = await applyImportPlanStaged(two.wb, { sheetId: two.sheetId }, p2, {
        minRows: 1,
        sliceRows: 700,
        maxSliceRows: 700,
        pause: async () => {},
      })
      if (!r1.ok || !r2.ok) throw new Error('apply')
      expect(r1.report.added).toBe(p.adds.count)
      expect(r2.report).toMatchObject({
        added: r1.report.added,
        updated: r1.report.updated,
        unchanged: r1.report.unchanged,
        skipped: r1.report.skipped,
      })
      const got1 = cellsOf(one.wb, one.sheetId, r1.report.addedRowIds, one.ids)
      const got2 = cellsOf(two.wb, two.sheetId, r2.report.addedRowIds, two.ids)
      expect(got1).toEqual(expected)
      expect(got2).toEqual(expected)
      // Upserted rows got the file's values too.
      for (const u of p.updates) {
        const cells = one.wb.sheet(one.sheetId).getAnyRow(u.rowId)!.cells
        for (const c of u.changes) expect(cells[one.ids[c.target]!] ?? null).toEqual(c.new)
      }
    })

  it('into a new sheet: the same cells as the row-by-row conversion (new columns, inferred or set types)', () => {
    const { wb } = setup()
    const p = plan(wb, { newSheetName: '导入' }, [], 'append')
    const r = applyImportPlan(wb, { newSheetName: '导入' }, p)
    if (!r.ok) throw new Error('apply')
    const colIds = r.report.columnsCreated.map((c) => c.colId)
    const expected = Array.from(p.adds.lines, (line) => expectedRow(p, line, rows))
    expect(cellsOf(wb, r.report.sheetId, r.report.addedRowIds, colIds)).toEqual(expected)
  })
})
