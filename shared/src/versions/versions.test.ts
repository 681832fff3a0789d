import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Workbook } from '../model/workbook.js'
import { prng, syncAll } from '../test/relay.js'
import { compareWorkbooks, movedIds, stayingIndices } from './compare.js'
import { rollbackTo } from './rollback.js'

function setup() {
  const doc = new Y.Doc()
  doc.clientID = 1
  let t = 1_700_000_000_000
  const wb = Workbook.create(doc, {
    title: '杨浦区社工站台账',
    random: prng(7),
    now: () => t++,
    author: { id: 'a', name: '张三' },
  })
  const sheetId = wb.addSheet('站点')
  const s = wb.sheet(sheetId)
  const name = s.addColumn({ name: '站点名称', type: 'text' })
  const served = s.addColumn({ name: '服务人次', type: 'integer' })
  const rows = s.insertRows([
    { [name]: '殷行街道社工站', [served]: 120 },
    { [name]: '五角场街道社工站', [served]: 86 },
    { [name]: '控江路街道社工站', [served]: 43 },
    { [name]: '长白新村街道社工站', [served]: 57 },
  ])
  return { doc, wb, s, sheetId, name, served, rows }
}

/** A version as the server hands it out: the full doc as one Yjs update, opened in a new doc. */
function capture(doc: Y.Doc): Y.Doc {
  const v = new Y.Doc()
  Y.applyUpdate(v, Y.encodeStateAsUpdate(doc))
  return v
}

/** Everything the rollback promises to make equal, read the same way from any workbook. */
function snapshot(wb: Workbook) {
  return {
    title: wb.meta().title,
    sheets: wb.listSheets().map((info) => {
      const s = wb.sheet(info.id)
      return {
        id: info.id,
        name: info.name,
        columns: s.columns().map(({ id, name, type, constraints, format }) => ({
          id,
          name,
          type,
          constraints,
          format,
        })),
        rows: s.readRows(),
      }
    }),
  }
}

describe('stayingIndices / movedIds', () => {
  it('keeps a longest increasing run and moves the rest', () => {
    expect([...stayingIndices([0, 1, 2, 3])]).toHaveLength(4)
    expect(stayingIndices([3, 0, 1, 2])).toEqual(new Set([1, 2, 3]))
    expect(movedIds(['c', 'a', 'b'], ['a', 'b', 'c'])).toEqual(new Set(['c']))
    expect(movedIds(['a', 'x', 'b'], ['a', 'b'])).toEqual(new Set())
  })
})

describe('compareWorkbooks', () => {
  it('reports nothing for an unchanged workbook', () => {
    const { doc, wb } = setup()
    const diff = compareWorkbooks(capture(doc), wb)
    expect(diff.count).toBe(0)
    expect(diff.sheets).toEqual([])
  })

  it('lists changed cells, added/removed/moved rows, column changes and sheets', () => {
    const { doc, wb, s, sheetId, name, served, rows } = setup()
    const version = capture(doc)
    s.setCell(rows[0]!, served, 130)
    s.setCell(rows[1]!, name, '五角场社工站')
    s.deleteRows([rows[2]!])
    const [added] = s.insertRows([{ [name]: '新华路社工站' }])
    s.moveRows([rows[3]!], { before: rows[0]! })
    s.renameColumn(served, '服务人数')
    const note = s.addColumn({ name: '备注', type: 'text' })
    const other = wb.addSheet('指标')
    wb.setTitle('台账')

    const diff = compareWorkbooks(version, doc)
    expect(diff.titleBefore).toBe('杨浦区社工站台账')
    expect(diff.titleAfter).toBe('台账')
    const sd = diff.sheets.find((x) => x.sheetId === sheetId)!
    expect(sd.kind).toBe('changed')
    expect(sd.cells).toEqual(
      expect.arrayContaining([
        { rowId: rows[0], colId: served, before: 120, after: 130 },
        { rowId: rows[1], colId: name, before: '五角场街道社工站', after: '五角场社工站' },
      ]),
    )
    expect(sd.cells).toHaveLength(2)
    expect(sd.rows).toEqual(
      expect.arrayContaining([
        { rowId: rows[2], kind: 'removed', before: 2, after: -1 },
        { rowId: added, kind: 'added', before: -1, after: 3 },
        { rowId: rows[3], kind: 'moved', before: 3, after: 0 },
      ]),
    )
    expect(sd.rows).toHaveLength(3)
    expect(sd.columns).toEqual([
      expect.objectContaining({
        colId: served,
        kind: 'changed',
        name: '服务人数',
        changes: ['name'],
      }),
      expect.objectContaining({ colId: note, kind: 'added', name: '备注' }),
    ])
    expect(diff.sheets.find((x) => x.sheetId === other)).toMatchObject({
      kind: 'added',
      name: '指标',
    })
    // 2 cells + 3 rows + 2 columns + 1 sheet + the title
    expect(diff.count).toBe(9)
  })

  it('names a sheet deleted since as removed', () => {
    const { doc, wb, sheetId } = setup()
    const version = capture(doc)
    wb.deleteSheet(sheetId)
    expect(compareWorkbooks(version, wb).sheets).toEqual([
      expect.objectContaining({ sheetId, kind: 'removed', name: '站点' }),
    ])
  })
})

describe('rollbackTo', () => {
  it('makes the data equal the version in one undo step, keeping history', () => {
    const { doc, wb, s, sheetId, name, served, rows } = setup()
    const version = capture(doc)
    const before = snapshot(wb)
    s.setCell(rows[0]!, served, 130)
    s.setCell(rows[1]!, name, '五角场社工站')
    s.deleteRows([rows[2]!])
    s.insertRows([{ [name]: '新华路社工站' }], { after: rows[0]! })
    s.moveRows([rows[3]!], { before: rows[0]! })
    s.updateColumn(served, { name: '服务人数', type: 'number' })
    s.deleteColumn(name)
    s.addColumn({ name: '备注', type: 'text' })
    const other = wb.addSheet('指标')
    wb.renameSheet(sheetId, '站点名单')
    wb.setTitle('台账')
    const edited = snapshot(wb)

    const undo = wb.createUndoManager()
    const logBefore = s.cellHistory(rows[0]!, served).length
    const res = rollbackTo(version, wb)
    expect(snapshot(wb)).toEqual(before)
    expect(compareWorkbooks(version, wb).count).toBe(0)
    expect(res.rowsRestored).toBe(1)
    expect(res.rowsDeleted).toBe(1)
    expect(res.cells).toBeGreaterThanOrEqual(2)
    // The trash keeps what the rollback removed; the history keeps every value.
    expect(wb.deletedSheets().map((x) => x.id)).toEqual([other])
    const hist = s.cellHistory(rows[0]!, served)
    expect(hist).toHaveLength(logBefore + 1)
    expect(hist.map((e) => e.value)).toEqual([130, 120])
    // One undo step takes it back.
    expect(undo.undoStack).toHaveLength(1)
    undo.undo()
    expect(snapshot(wb)).toEqual(edited)
  })

  it('reaches every replica as one update', () => {
    const { doc, wb, s, served, rows } = setup()
    const version = capture(doc)
    const peer = new Y.Doc()
    peer.clientID = 2
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
    const peerWb = Workbook.open(peer, { author: { id: 'b', name: '李四' } }).workbook
    peerWb.sheet(s.id).setCell(rows[1]!, served, 999)
    syncAll(doc, peer)
    s.setCell(rows[0]!, served, 1)
    let updates = 0
    doc.on('update', () => updates++)
    rollbackTo(version, wb)
    expect(updates).toBe(1)
    syncAll(doc, peer)
    expect(snapshot(peerWb)).toEqual(snapshot(Workbook.open(version).workbook))
    expect(peerWb.sheet(s.id).getCell(rows[1]!, served)).toBe(86)
  })

  it('re-creates sheets and rows the doc no longer has (a doc older than the version)', () => {
    const { doc, s, name, served } = setup()
    const version = capture(doc)
    // A different doc that never had this sheet: a workbook made fresh with the same title.
    const fresh = new Y.Doc()
    const wb2 = Workbook.create(fresh, { title: 'x', author: { id: 'c', name: '王五' } })
    wb2.addSheet('空表')
    rollbackTo(version, wb2)
    const got = wb2.sheet(s.id)
    expect(wb2.listSheets().map((x) => x.name)).toEqual(['站点'])
    expect(got.readRows().map((r) => [r.cells[name], r.cells[served]])).toEqual([
      ['殷行街道社工站', 120],
      ['五角场街道社工站', 86],
      ['控江路街道社工站', 43],
      ['长白新村街道社工站', 57],
    ])
    // Row ids are new, so the rows read as removed and added; no cell of a shared row differs.
    const [sd] = compareWorkbooks(version, wb2).sheets
    expect(sd?.sheetId).toBe(s.id)
    expect(sd?.cells).toEqual([])
    expect(sd?.rows.filter((r) => r.kind === 'removed')).toHaveLength(4)
    expect(sd?.rows.filter((r) => r.kind === 'added')).toHaveLength(4)
  })
})

describe('copyVersionInto', () => {
  it('copies the demo workbook: same sheets and columns, references still name the same rows, definitions kept', async () => {
    const { createDemoWorkbook } = await import('../demo/demoWorkbook.js')
    const { readDefinitions, DefinitionKinds } = await import('../model/definitions.js')
    const { copyVersionInto } = await import('./copy.js')
    const src = new Y.Doc()
    const wb = Workbook.create(src, { title: '社工站台账示例', random: prng(3) })
    const ids = createDemoWorkbook(wb)
    const version = capture(src)

    const fresh = Workbook.create(new Y.Doc(), { title: '新', random: prng(4) })
    copyVersionInto(version, fresh, '社工站台账示例（报送前）')
    expect(fresh.meta().title).toBe('社工站台账示例（报送前）')
    expect(fresh.listSheets().map((s) => [s.id, s.name])).toEqual(
      wb.listSheets().map((s) => [s.id, s.name]),
    )
    // A reference cell holds a row id: in the copy it names the copied row with the same name.
    const metrics = fresh.sheet(ids.metrics)
    const ref = metrics.columns().find((c) => c.type === 'reference')!
    const refCol = ref.format.refColumn as string
    const shown = (w: Workbook) =>
      w
        .sheet(ids.metrics)
        .readRows()
        .map((r) => w.sheet(ids.stations).getCell(String(r.cells[ref.id]), refCol))
    expect(shown(fresh)).toEqual(shown(wb))
    expect(shown(fresh).every((v) => typeof v === 'string' && v.length > 0)).toBe(true)
    // Rows are new ids; every value but the references is the same.
    expect(fresh.sheet(ids.stations).rowIds()).not.toEqual(wb.sheet(ids.stations).rowIds())
    for (const kind of Object.values(DefinitionKinds))
      expect(readDefinitions(fresh, kind)).toEqual(readDefinitions(wb, kind))
    expect(readDefinitions(fresh, 'summary').length).toBeGreaterThan(0)
  })
})

describe('rollbackTo, seeded random edits', () => {
  it('after any mix of edits, undos, deletes, restores, inserts, moves and column changes, the data equals the version and one undo returns', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { doc, wb, s, name, served } = setup()
      const rand = prng(seed)
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
      const undo = wb.createUndoManager()
      // Some history before the version, so both sides have overlays.
      for (let i = 0; i < 5; i++) s.setCell(pick(s.rowIds()), served, Math.floor(rand() * 100))
      const version = capture(doc)
      const before = snapshot(wb)
      for (let i = 0; i < 40; i++) {
        const r = rand()
        const rows = s.rowIds()
        if (r < 0.4 && rows.length)
          s.setCell(pick(rows), pick([name, served]), r < 0.2 ? null : `v${i}`)
        else if (r < 0.5) undo.undo()
        else if (r < 0.6 && rows.length > 1) s.deleteRows([pick(rows)])
        else if (r < 0.65) {
          const gone = s.deletedRows()
          if (gone.length) s.restoreRows([pick(gone).id])
        } else if (r < 0.75)
          s.insertRows([{ [name]: `新${i}` }], rows.length ? { after: pick(rows) } : {})
        else if (r < 0.82 && rows.length > 1) s.moveRows([pick(rows)], { before: rows[0]! })
        else if (r < 0.86) s.addColumn({ name: `列${i}`, type: 'text' })
        else if (r < 0.9 && s.columns().length > 1) s.deleteColumn(pick(s.columns()).id)
        else if (r < 0.93) s.renameColumn(pick(s.columns()).id, `改${i}`)
        else s.setCell(pick(rows.length ? rows : s.rowIds()), served, i)
      }
      const edited = snapshot(wb)
      const after = wb.createUndoManager()
      rollbackTo(version, wb)
      expect(snapshot(wb), `seed ${seed}`).toEqual(before)
      expect(compareWorkbooks(version, wb).count, `seed ${seed}`).toBe(0)
      after.undo()
      expect(snapshot(wb), `seed ${seed} undo`).toEqual(edited)
    }
  })
})
