import ExcelJS from 'exceljs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { applyImportPlan } from '../csv/applyImport.js'
import { planImport } from '../csv/importPlan.js'
import { suggestMapping } from '../csv/mapping.js'
import { createWorkbookScopes } from '../expr/workbookScope.js'
import { Workbook } from '../model/workbook.js'
import type { CellValue, ColumnInit, ColumnType } from '../schema/columnTypes.js'
import { saveSummary } from '../summary/store.js'
import { openXlsx } from './readXlsx.js'
import { readWorksheet } from './sheetTable.js'
import { exportXlsx, isoDateToSerial } from './writeXlsx.js'

const STATIONS = ['殷行街道社工站', '朝歌街道社工站', '桥盟街道社工站']
const OPTIONS = ['红', '橙', '黄']

function init(type: ColumnType, i: number, refSheet: string, refColumn: string): ColumnInit {
  const name = `${type}${i}`
  if (type === 'money') return { name, type, format: { unit: i % 2 ? '万元' : '元' } }
  if (type === 'enum')
    return { name, type, constraints: { options: OPTIONS.map((value) => ({ value })) } }
  if (type === 'reference') return { name, type, format: { refSheet, refColumn } }
  return { name, type }
}

function book(types: readonly ColumnType[]) {
  const wb = Workbook.create(new Y.Doc(), { title: '杨浦区社工站台账' })
  const refSheet = wb.addSheet('站点')
  const ref = wb.sheet(refSheet)
  const refColumn = ref.addColumn({ name: '站点名称', type: 'text' })
  const refRows = ref.insertRows(STATIONS.map((n) => ({ [refColumn]: n })))
  const sheetId = wb.addSheet('月报')
  const s = wb.sheet(sheetId)
  const cols = types.map((t, i) => s.addColumn(init(t, i, refSheet, refColumn)))
  return { wb, sheetId, s, cols, refRows }
}

const finite = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0))
const VALUES: Record<ColumnType, fc.Arbitrary<CellValue>> = {
  text: fc
    .string({
      unit: fc.constantFrom('a', '站', '𠀀', ' ', '=', "'", '-', '\n', '1'),
      maxLength: 10,
    })
    .filter((s) => s.trim() !== '' && s === s.trim()),
  number: finite(-1e12, 1e12),
  integer: fc.integer({ min: -1e9, max: 1e9 }),
  percent: finite(-10, 10),
  money: finite(-1e9, 1e9),
  date: fc
    .date({
      min: new Date('1900-03-01T00:00:00Z'),
      max: new Date('2100-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
  enum: fc.constantFrom(...OPTIONS),
  boolean: fc.boolean(),
  reference: fc.constantFrom('0', '1', '2'),
  period: fc.constantFrom('2024', '2024-07', '2024-Q3'),
  ...({} as Record<string, never>),
}
const TYPES = Object.keys(VALUES) as ColumnType[]

describe('XLSX4 export', () => {
  it('XLSX4 Taizhang → .xlsx → Taizhang is the identity for every column type', async () => {
    const arb = fc.array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 8 }).chain((types) =>
      fc.record({
        types: fc.constant(types),
        rows: fc.array(
          fc
            .tuple(...types.map((t) => fc.option(VALUES[t], { nil: null })))
            .filter((r) => r.some((v) => v !== null)),
          { minLength: 1, maxLength: 6 },
        ),
      }),
    )
    await fc.assert(
      fc.asyncProperty(arb, async ({ types, rows }) => {
        const src = book(types)
        src.s.insertRows(
          rows.map((r) =>
            Object.fromEntries(
              r.flatMap((v, i) =>
                v === null
                  ? []
                  : [[src.cols[i]!, types[i] === 'reference' ? src.refRows[Number(v)]! : v]],
              ),
            ),
          ),
        )
        const out = await exportXlsx(src.wb, { sheets: [{ sheetId: src.sheetId }] })
        const opened = await openXlsx(out.bytes)
        if (!opened.ok) throw new Error(JSON.stringify(opened.refusal))
        const read = readWorksheet(opened.book, '月报')
        if (!read.ok) throw new Error(JSON.stringify(read.refusal))
        const dst = book(types)
        const mapping = suggestMapping(read.table, dst.s.columns())
        expect(mapping.every((m) => m.target.kind === 'existing')).toBe(true)
        const byName = new Map(STATIONS.map((n, i) => [n, dst.refRows[i]!]))
        const plan = planImport(read.table, mapping, dst.s, {
          mode: 'append',
          resolveReference: (_c, t) => byName.get(t),
        })
        if (!plan.ok) throw new Error(JSON.stringify(plan.refusal))
        expect(plan.plan.misfits).toEqual([])
        expect(applyImportPlan(dst.wb, { sheetId: dst.sheetId }, plan.plan).ok).toBe(true)
        const norm = (w: ReturnType<typeof book>) =>
          w.s.readRows().map((r) =>
            w.cols.map((c, i) => {
              const v = r.cells[c] ?? null
              return types[i] === 'reference' && v !== null ? w.refRows.indexOf(String(v)) : v
            }),
          )
        expect(norm(dst)).toEqual(norm(src))
      }),
      { numRuns: Number(process.env.XLSX_RT_RUNS ?? 60) },
    )
  })

  it('XLSX4 an independent reader (exceljs) sees typed cells, formats, frozen header, filter, widths, title', async () => {
    const src = book(['text', 'integer', 'percent', 'money', 'money', 'date', 'boolean', 'number'])
    const [name, served, coverage, wan, yuan, built, model, misc] = src.cols as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ]
    src.s.updateColumn(name, { width: 220 })
    src.s.insertRows([
      {
        [name]: '=HYPERLINK("http://x")',
        [served]: 1197,
        [coverage]: 0.637,
        [yuan]: 2760000,
        [wan]: 276,
        [built]: '2024-05-24',
        [model]: true,
        [misc]: -5,
      },
      { [name]: '朝歌街道社工站', [served]: '—', [coverage]: '/', [wan]: 94, [model]: false },
    ])
    const out = await exportXlsx(src.wb, { sheets: [{ sheetId: src.sheetId }], titleRow: true })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(out.bytes as unknown as ArrayBuffer)
    expect(wb.title).toBe('杨浦区社工站台账')
    const ws = wb.getWorksheet('月报')!
    expect(ws.getCell('A1').value).toBe('杨浦区社工站台账 · 月报')
    expect(ws.getRow(2).values).toEqual([
      undefined,
      'text0',
      'integer1',
      'percent2',
      'money3',
      'money4',
      'date5',
      'boolean6',
      'number7',
    ])
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2, topLeftCell: 'A3' })
    expect(ws.autoFilter).toBe('A2:H4')
    // Text that looks like a formula stays text.
    expect(ws.getCell('A3').value).toBe('=HYPERLINK("http://x")')
    expect(ws.getCell('A3').formula).toBeUndefined()
    expect([ws.getCell('B3').value, ws.getCell('B3').numFmt]).toEqual([1197, '#,##0'])
    expect([ws.getCell('C3').value, ws.getCell('C3').numFmt]).toEqual([0.637, '0.0%'])
    expect([ws.getCell('D3').value, ws.getCell('D3').numFmt]).toEqual([276, '0.00"万元"'])
    expect([ws.getCell('E3').value, ws.getCell('E3').numFmt]).toEqual([2760000, '#,##0.00"元"'])
    expect(ws.getCell('F3').numFmt).toBe('yyyy-mm-dd')
    expect((ws.getCell('F3').value as Date).toISOString().slice(0, 10)).toBe('2024-05-24')
    expect([ws.getCell('G3').value, ws.getCell('G4').value]).toEqual([true, false])
    expect(ws.getCell('H3').value).toBe(-5)
    // No-data markers written back as they were.
    expect([ws.getCell('B4').value, ws.getCell('C4').value]).toEqual(['—', '/'])
    // 220 px → about 30.7 character widths; the default 140 px → 19.6.
    expect(ws.getColumn(1).width).toBeGreaterThan(ws.getColumn(2).width!)
  })

  it('XLSX4 whole workbook: one worksheet per sheet, Excel-safe unique names', async () => {
    const wb = Workbook.create(new Y.Doc(), { title: 't' })
    for (const n of ['月报', '季报/汇总', 'a'.repeat(40)]) {
      const id = wb.addSheet(n)
      const s = wb.sheet(id)
      const c = s.addColumn({ name: '值', type: 'integer' })
      s.insertRows([{ [c]: 1 }])
    }
    const out = await exportXlsx(wb)
    expect(out.sheets.map((s) => s.name)).toEqual(['月报', '季报_汇总', 'a'.repeat(31)])
    const opened = await openXlsx(out.bytes)
    expect(opened.ok && opened.book.worksheets.map((w) => w.name)).toEqual(
      out.sheets.map((s) => s.name),
    )
  })

  it('XLSX2 date serials: Excel counts the fake 1900-02-29', () => {
    expect(isoDateToSerial('1900-01-01')).toBe(1)
    expect(isoDateToSerial('1900-02-28')).toBe(59)
    expect(isoDateToSerial('1900-03-01')).toBe(61)
    expect(isoDateToSerial('2024-05-24')).toBe(45436)
  })
})

describe('XLSX4 summaries in a whole-workbook export', () => {
  it('XLSX4 each stored summary and cross-tab becomes a worksheet of numbers with labelled totals', async () => {
    const wb = Workbook.create(new Y.Doc(), { title: '淇县台账' })
    const st = wb.sheet(wb.addSheet('站点'))
    const name = st.addColumn({ name: '站点名称', type: 'text' })
    const district = st.addColumn({ name: '区县', type: 'text' })
    const period = st.addColumn({ name: '期间', type: 'text' })
    const served = st.addColumn({ name: '服务人次', type: 'integer' })
    st.insertRows([
      { [name]: '朝歌街道社工站', [district]: '淇县', [period]: '7月', [served]: 5 },
      { [name]: '桥盟街道社工站', [district]: '淇县', [period]: '8月', [served]: 10 },
      { [name]: '殷行街道社工站', [district]: '杨浦区', [period]: '7月', [served]: 7 },
    ])
    const scope = createWorkbookScopes(wb).scope(st.id)!
    expect(
      saveSummary(wb, scope, {
        type: 'table',
        title: '按区县',
        sheetId: st.id,
        groupBy: ['区县'],
        measures: [{ kind: 'sum', expr: '服务人次' }],
      }).ok,
    ).toBe(true)
    expect(
      saveSummary(wb, scope, {
        type: 'crossTab',
        title: '区县×期间',
        sheetId: st.id,
        rows: '区县',
        columns: '期间',
        measure: { kind: 'sum', expr: '服务人次' },
      }).ok,
    ).toBe(true)
    const out = await exportXlsx(wb)
    // Summaries follow the sheets, in the order the doc lists them (by id).
    expect(out.sheets[0]!.name).toBe('站点')
    expect(
      out.sheets
        .slice(1)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['区县×期间', '按区县'].sort())
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(out.bytes as unknown as ArrayBuffer)
    const values = (n: string) =>
      book
        .getWorksheet(n)!
        .getSheetValues()
        .slice(1)
        .map((r) => (r as unknown[]).slice(1))
    const sum = values('按区县')
    expect(sum[0]).toEqual(['区县', '服务人次 合计', '行数'])
    expect(sum).toContainEqual(['淇县', 15, 2])
    expect(sum).toContainEqual(['杨浦区', 7, 1])
    expect(sum.at(-1)).toEqual(['总计', 22, 3])
    const x = values('区县×期间')
    expect(x[0]).toEqual(['区县 \\ 期间', '7月', '8月', '合计'])
    expect(x.at(-1)).toEqual(['合计', 12, 10, 22])
    // One sheet exported on its own carries no summaries.
    const one = await exportXlsx(wb, { sheets: [{ sheetId: st.id }] })
    expect(one.sheets.map((s) => s.name)).toEqual(['站点'])
  })
})
