import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CSV_IMPORT } from '../model/origins.js'
import { Workbook } from '../model/workbook.js'
import { applyImportPlan } from './applyImport.js'
import { exportSheetCsv } from './exportSheet.js'
import { planCounts, planImport, previewPlan } from './importPlan.js'
import { suggestMapping } from './mapping.js'
import { parseCsvText } from './parseCsv.js'
import { bytesSource, readCsvSource } from './readCsv.js'

function seeded(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function setup() {
  const doc = new Y.Doc()
  doc.clientID = 1
  let t = 1_700_000_000_000
  const wb = Workbook.create(doc, { title: '测试', random: seeded(7), now: () => t++ })
  const sheetId = wb.addSheet('站点')
  const s = wb.sheet(sheetId)
  const name = s.addColumn({ name: '站点名称', type: 'text' })
  const period = s.addColumn({ name: '期间', type: 'text' })
  const served = s.addColumn({ name: '服务人次', type: 'integer' })
  const funds = s.addColumn({ name: '投入资金（万元）', type: 'money', format: { unit: '万元' } })
  s.insertRows([
    { [name]: '殷行街道社工站', [period]: '2024-06', [served]: 1000, [funds]: 200 },
    { [name]: '朝歌街道社工站', [period]: '2024-06', [served]: 583 },
  ])
  return { doc, wb, sheetId, s, name, period, served, funds }
}

function table(text: string) {
  const r = parseCsvText(text)
  if (!r.ok) throw new Error(JSON.stringify(r.refusal))
  return r.table
}

describe('CSV5 mapping', () => {
  it('CSV5 auto-matches by name ignoring case, width, spaces and brackets, then by zh/en alias', () => {
    const { s, name, period, served, funds } = setup()
    const t = table(
      'STATION NAME,期 间,People Served,投入资金 (万元),覆盖率,成立日期\n甲,2024-06,"1,197",276万元,63.7%,2024年5月24日\n',
    )
    const m = suggestMapping(t, s.columns())
    expect(m.map((x) => x.target)).toEqual([
      { kind: 'existing', colId: name },
      { kind: 'existing', colId: period },
      { kind: 'existing', colId: served },
      { kind: 'existing', colId: funds },
      { kind: 'new', name: '覆盖率', type: 'percent' },
      { kind: 'new', name: '成立日期', type: 'date' },
    ])
    expect(m.map((x) => x.reason)).toEqual([
      'alias',
      'name',
      'alias',
      'name',
      'inferred',
      'inferred',
    ])
  })

  it('CSV5 new columns are typed by inferColumnType: thousands separators, percents, 万元, Chinese dates', () => {
    const t = table(
      'a,b,c,d,e\n"1,197",63.7%,276万元,2024年5月24日,殷行\n583,100%,10万元,2024/5/25,朝歌\n',
    )
    expect(suggestMapping(t, []).map((m) => m.target)).toEqual([
      { kind: 'new', name: 'a', type: 'integer' },
      { kind: 'new', name: 'b', type: 'percent' },
      { kind: 'new', name: 'c', type: 'money', format: { unit: '万元' } },
      { kind: 'new', name: 'd', type: 'date' },
      { kind: 'new', name: 'e', type: 'text' },
    ])
  })

  it('CSV5 misfits are listed with counts and examples; the user picks text, skip rows or cancel', () => {
    const { wb, sheetId, s } = setup()
    const t = table(
      '站点名称,期间,服务人次\n甲,2024-07,12\n乙,2024-07,很多\n丙,2024-07,—\n丁,2024-07,约三百\n',
    )
    const mapping = suggestMapping(t, s.columns())
    const asked = planImport(t, mapping, s, { mode: 'append' })
    expect(asked.ok && asked.plan.needsDecision).toBe(true)
    if (!asked.ok) return
    expect(asked.plan.misfits).toMatchObject([
      {
        header: '服务人次',
        count: 2,
        examples: [
          { line: 3, input: '很多' },
          { line: 5, input: '约三百' },
        ],
      },
    ])
    const before = Y.encodeStateVector(wb.doc)
    expect(applyImportPlan(wb, { sheetId }, asked.plan)).toEqual({
      ok: false,
      refusal: { kind: 'misfits', count: 2 },
    })
    expect(Y.encodeStateVector(wb.doc)).toEqual(before)

    const skip = planImport(t, mapping, s, { mode: 'append', onMisfit: 'skip-rows' })
    expect(skip.ok && planCounts(skip.plan)).toEqual({
      added: 2,
      updated: 0,
      unchanged: 0,
      skipped: 2,
    })
    const text = planImport(t, mapping, s, { mode: 'append', onMisfit: 'text' })
    if (!text.ok) throw new Error('plan')
    const r = applyImportPlan(wb, { sheetId }, text.plan)
    expect(r.ok && r.report.added).toBe(4)
    const served = s.columns().find((c) => c.name === '服务人次')!.id
    expect(
      s
        .readRows()
        .slice(2)
        .map((row) => row.cells[served] ?? null),
    ).toEqual([12, '很多', '—', '约三百'])
  })
})

describe('CSV5 upsert and CSV6 atomicity', () => {
  it('CSV5 upsert on 站点名称 + 期间 previews old → new and reports added/updated/unchanged/skipped', () => {
    const { wb, sheetId, s, served, funds } = setup()
    const t = table(
      [
        '站点名称,期间,服务人次,投入资金（万元）',
        '殷行街道社工站,2024-06,"1,197",',
        '朝歌街道社工站,2024-06,583,',
        '桥盟街道社工站,2024-06,48,94',
        ',2024-06,1,1',
        '殷行街道社工站,2024-06,5,5',
      ].join('\r\n'),
    )
    const plan = planImport(t, suggestMapping(t, s.columns()), s, { mode: 'upsert', key: [0, 1] })
    if (!plan.ok) throw new Error('plan')
    expect(planCounts(plan.plan)).toEqual({ added: 1, updated: 1, unchanged: 1, skipped: 2 })
    expect(plan.plan.skipped).toEqual([
      { reason: 'empty-key', count: 1, lines: [5] },
      { reason: 'duplicate-key', count: 1, lines: [6] },
    ])
    const preview = previewPlan(plan.plan)
    expect(preview[0]).toMatchObject({
      kind: 'update',
      line: 2,
      changes: [{ old: 1000, new: 1197 }],
    })
    expect(preview[1]).toMatchObject({ kind: 'add', line: 4 })

    const undo = wb.createUndoManager()
    const updates: unknown[] = []
    wb.doc.on('update', (_u: Uint8Array, origin: unknown) => updates.push(origin))
    const before = s.readRows()
    const r = applyImportPlan(wb, { sheetId }, plan.plan)
    expect(r).toMatchObject({
      ok: true,
      report: { added: 1, updated: 1, unchanged: 1, skipped: 2 },
    })
    // CSV6: one transaction with its own origin, one undo step.
    expect(updates).toEqual([CSV_IMPORT])
    const after = s.readRows()
    expect(after).toHaveLength(3)
    expect(after[0]!.cells[served]).toBe(1197)
    expect(after[0]!.cells[funds]).toBe(200) // an empty CSV cell keeps the value (emptyClears false)
    undo.undo()
    expect(s.readRows()).toEqual(before)
    undo.redo()
    expect(s.readRows()).toEqual(after)
  })

  it('CSV6 an import into a new sheet creates sheet, columns and rows in one undoable transaction', () => {
    const { wb } = setup()
    const t = table('名称,人次\n甲,1\n乙,2\n')
    const plan = planImport(t, suggestMapping(t, []), undefined, { mode: 'append' })
    if (!plan.ok) throw new Error('plan')
    const undo = wb.createUndoManager()
    const r = applyImportPlan(wb, { newSheetName: '导入' }, plan.plan)
    if (!r.ok) throw new Error('apply')
    expect(r.report.columnsCreated.map((c) => [c.name, c.type])).toEqual([
      ['名称', 'text'],
      ['人次', 'integer'],
    ])
    expect(wb.sheet(r.report.sheetId).rowCount()).toBe(2)
    undo.undo()
    expect(wb.listSheets().map((x) => x.name)).toEqual(['站点'])
  })

  it('CSV6 refused imports (bad mapping, read-only, deleted column) leave the state vector unchanged', () => {
    const { wb, sheetId, s, served } = setup()
    const t = table('站点名称,服务人次\n甲,1\n')
    const before = Y.encodeStateVector(wb.doc)
    expect(
      planImport(t, [{ source: 0, target: { kind: 'existing', colId: 'nope' } }], s, {
        mode: 'append',
      }).ok,
    ).toBe(false)
    expect(planImport(t, suggestMapping(t, s.columns()), s, { mode: 'upsert', key: [] }).ok).toBe(
      false,
    )
    const plan = planImport(t, suggestMapping(t, s.columns()), s, { mode: 'append' })
    if (!plan.ok) throw new Error('plan')
    const ro = Workbook.open(wb.doc, {}).workbook
    expect(
      applyImportPlan(Object.assign(Object.create(ro), { readOnly: true }), { sheetId }, plan.plan)
        .ok,
    ).toBe(false)
    expect(applyImportPlan(wb, { sheetId: 'missing' }, plan.plan).ok).toBe(false)
    expect(Y.encodeStateVector(wb.doc)).toEqual(before)
    s.deleteColumn(served)
    const mid = Y.encodeStateVector(wb.doc)
    expect(applyImportPlan(wb, { sheetId }, plan.plan)).toMatchObject({
      ok: false,
      refusal: { kind: 'bad-mapping' },
    })
    expect(Y.encodeStateVector(wb.doc)).toEqual(mid)
  })
})

describe('CSV8 export', () => {
  function exportText(bytes: Uint8Array) {
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  }

  it('CSV8 UTF-8 with BOM, CRLF, headers as shown, dates ISO, percent as 63.7% or number', () => {
    const doc = new Y.Doc()
    const wb = Workbook.create(doc, { title: 't' })
    const sheetId = wb.addSheet('s')
    const s = wb.sheet(sheetId)
    const n = s.addColumn({ name: '站点名称', type: 'text' })
    const d = s.addColumn({ name: '成立日期', type: 'date' })
    const p = s.addColumn({ name: '覆盖率', type: 'percent' })
    const v = s.addColumn({ name: '变化', type: 'number' })
    const b = s.addColumn({ name: '示范', type: 'boolean' })
    const m = s.addColumn({ name: '资金', type: 'money', format: { unit: '万元' } })
    const ids = s.insertRows([
      { [n]: '殷行, "一号"', [d]: '2024-05-24', [p]: 0.637, [v]: -5, [b]: true, [m]: 276 },
      { [n]: '=cmd', [v]: 1197.5, [b]: false },
    ])
    const out = exportSheetCsv(wb, sheetId)
    expect([...out.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(exportText(out.bytes)).toBe(
      '\uFEFF站点名称,成立日期,覆盖率,变化,示范,资金\r\n"殷行, ""一号""",2024-05-24,63.7%,-5,是,276\r\n\'=cmd,,,1197.5,否,\r\n',
    )
    const asNumber = exportText(
      exportSheetCsv(wb, sheetId, { percentStyle: 'number', bom: false }).bytes,
    )
    expect(asNumber.split('\r\n')[1]).toBe('"殷行, ""一号""",2024-05-24,0.637,-5,是,276')
    // The grid's filtered and sorted view: only these rows, in this order.
    const view = exportText(exportSheetCsv(wb, sheetId, { rowIds: [ids[1]!], bom: false }).bytes)
    expect(view.split('\r\n')).toHaveLength(3)
    const gb = exportSheetCsv(wb, sheetId, { encoding: 'gb18030' })
    expect(new TextDecoder('gb18030').decode(gb.bytes)).toBe(exportText(out.bytes).slice(1))
  })

  it('CSV9 exported text cells are neutralised line by line; numbers like -5 are untouched', () => {
    const wb = Workbook.create(new Y.Doc(), { title: 't' })
    const sheetId = wb.addSheet('s')
    const s = wb.sheet(sheetId)
    const t = s.addColumn({ name: '备注', type: 'text' })
    const v = s.addColumn({ name: '数值', type: 'integer' })
    s.insertRows([
      { [t]: '说明\n=HYPERLINK("x")', [v]: -5 },
      { [t]: '-5', [v]: 3 },
    ])
    const text = new TextDecoder().decode(exportSheetCsv(wb, sheetId, { bom: false }).bytes)
    const rows = Papa.parse<string[]>(text.trim(), { newline: '\r\n' }).data
    expect(rows[1]).toEqual(['说明\n\'=HYPERLINK("x")', '-5'])
    expect(rows[2]).toEqual(["'-5", '3'])
  })
})

describe('CSV2 streaming fallback', () => {
  it('CSV2 a file that looks like UTF-8 for a while and then is not is re-read as GB18030', async () => {
    const ascii = 'a,b\r\n' + 'x,1\r\n'.repeat(30_000)
    const gb = Uint8Array.from([0xd5, 0xbe, 0xb5, 0xe3, 0x2c, 0x32, 0x0d, 0x0a]) // 站点,2
    const bytes = new Uint8Array(ascii.length + gb.length)
    bytes.set(new TextEncoder().encode(ascii))
    bytes.set(gb, ascii.length)
    const r = await readCsvSource(bytesSource(bytes), {}, { chunkBytes: 4096 })
    expect(r.ok && r.encoding).toBe('gb18030')
    expect(r.ok && r.table.rows.at(-1)).toEqual(['站点', '2'])
    expect(r.ok && r.table.warnings).toEqual([{ kind: 'utf8-fallback' }])
  })
  it('CSV7 cancellation between chunks returns cancelled', async () => {
    let n = 0
    const r = await readCsvSource(
      bytesSource(new TextEncoder().encode('a,b\n1,2\n'.repeat(1000))),
      {},
      {
        chunkBytes: 100,
        isCancelled: () => ++n > 3,
      },
    )
    expect(r).toEqual({ ok: false, refusal: { kind: 'cancelled' }, encoding: 'utf-8' })
  })
})
