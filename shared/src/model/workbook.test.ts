import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { prng, syncAll } from '../test/relay.js'
import { CSV_IMPORT, LOCAL_EDIT } from './origins.js'
import type { WorkbookChange } from './types.js'
import { Workbook } from './workbook.js'

function makeDoc(clientID: number): Y.Doc {
  const d = new Y.Doc()
  d.clientID = clientID
  return d
}

function setup(seed = 1) {
  const doc = makeDoc(1)
  let t = 1_700_000_000_000
  const wb = Workbook.create(doc, {
    title: '测试台账',
    random: prng(seed),
    now: () => t++,
    author: { id: 'a', name: '张三' },
  })
  const sheetId = wb.addSheet('站点')
  const s = wb.sheet(sheetId)
  const name = s.addColumn({ name: '站点名称', type: 'text', constraints: { required: true } })
  const served = s.addColumn({ name: '服务人次', type: 'integer' })
  return { doc, wb, s, sheetId, name, served }
}

/** Opens a replica of `doc` on a fresh doc with its own client id. */
function replica(doc: Y.Doc, clientID: number, name: string, seed: number) {
  const d = makeDoc(clientID)
  Y.applyUpdate(d, Y.encodeStateAsUpdate(doc))
  const { workbook } = Workbook.open(d, { random: prng(seed), author: { id: name, name } })
  return { doc: d, wb: workbook }
}

describe('workbook metadata and sheets', () => {
  it('creates a workbook with title, schema version and created-at', () => {
    const { wb } = setup()
    expect(wb.meta()).toMatchObject({ title: '测试台账', schemaVersion: 1 })
    expect(wb.meta().createdAt).toBeGreaterThan(0)
    wb.setTitle('新标题')
    expect(wb.meta().title).toBe('新标题')
  })

  it('adds, renames, reorders, deletes and restores sheets', () => {
    const { wb, sheetId } = setup()
    const b = wb.addSheet('指标')
    const c = wb.addSheet('地区', { index: 0 })
    expect(wb.listSheets().map((s) => s.name)).toEqual(['地区', '站点', '指标'])
    wb.renameSheet(b, '月度指标')
    wb.moveSheet(c, 2)
    expect(wb.listSheets().map((s) => s.name)).toEqual(['站点', '月度指标', '地区'])
    wb.deleteSheet(sheetId)
    expect(wb.listSheets().map((s) => s.id)).toEqual([b, c])
    expect(wb.deletedSheets().map((s) => s.id)).toEqual([sheetId])
    wb.restoreSheet(sheetId)
    expect(wb.listSheets()).toHaveLength(3)
    expect(wb.sheetByName('地区')?.id).toBe(c)
  })
})

describe('columns', () => {
  it('adds, renames, retypes, reorders, deletes and restores columns without touching cells', () => {
    const { s, name, served } = setup()
    const [r] = s.insertRows([{ [name]: '殷行街道社工站', [served]: 1197 }])
    const cov = s.addColumn({ name: '覆盖率', type: 'percent' }, { index: 0 })
    expect(s.columns().map((c) => c.name)).toEqual(['覆盖率', '站点名称', '服务人次'])
    s.renameColumn(name, '社工站名称')
    s.updateColumn(served, { type: 'number', width: 200, constraints: { min: 0 } })
    s.moveColumn(cov, 2)
    expect(s.columns().map((c) => c.name)).toEqual(['社工站名称', '服务人次', '覆盖率'])
    expect(s.column(served)).toMatchObject({ type: 'number', width: 200, constraints: { min: 0 } })
    expect(s.getRow(r!)!.cells).toEqual({ [name]: '殷行街道社工站', [served]: 1197 })
    s.deleteColumn(served)
    expect(s.columns().map((c) => c.id)).not.toContain(served)
    expect(s.getRow(r!)!.cells).toEqual({ [name]: '殷行街道社工站' })
    expect(s.deletedColumns().map((c) => c.id)).toEqual([served])
    s.restoreColumn(served)
    expect(s.getRow(r!)!.cells[served]).toBe(1197)
  })
})

describe('rows and cells', () => {
  it('inserts rows at the end, before and after, and reads them in order', () => {
    const { s, name } = setup()
    const [a, b] = s.insertRows([{ [name]: 'A' }, { [name]: 'B' }])
    const [c] = s.insertRows([{ [name]: 'C' }], { before: b })
    const [d] = s.insertRows([{ [name]: 'D' }], { after: b })
    const [e] = s.insertRows([{ [name]: 'E' }], { before: a })
    expect(s.readRows().map((r) => r.cells[name])).toEqual(['E', 'A', 'C', 'B', 'D'])
    expect(s.rowIds()).toEqual([e, a, c, b, d])
    expect(s.rowIndex(c!)).toBe(2)
    expect(s.rowCount()).toBe(5)
    const empties = s.insertEmptyRows(2, { after: a })
    expect(s.rowIds().slice(2, 4)).toEqual(empties)
  })

  it('inserts rows from value arrays exactly as from objects, leaving out all-empty columns', () => {
    const a = setup(7)
    const b = setup(7)
    const rows = [
      ['A', 1],
      [null, 2],
      ['C', undefined],
    ]
    const viaObjects = a.s.insertRows(
      rows.map((r) =>
        Object.fromEntries(
          [
            [a.name, r[0]],
            [a.served, r[1]],
          ].filter((e) => e[1] != null),
        ),
      ),
    )
    const viaArrays = b.s.insertRowValues(
      [b.name, 'unused', b.served],
      rows.map((r) => [r[0], null, r[1]]),
    )
    expect(viaArrays).toEqual(viaObjects)
    expect(b.s.readRows()).toEqual(a.s.readRows())
    expect(Y.encodeStateAsUpdate(b.doc)).toEqual(Y.encodeStateAsUpdate(a.doc))
  })

  it('sets, overrides and clears cells; the overlay wins over the row record', () => {
    const { s, name, served } = setup()
    const [r] = s.insertRows([{ [name]: '朝歌街道社工站', [served]: 10 }])
    s.setCell(r!, served, 48)
    expect(s.getCell(r!, served)).toBe(48)
    s.clearCell(r!, name)
    expect(s.getCell(r!, name)).toBeNull()
    expect(s.getRow(r!)!.cells).toEqual({ [served]: 48 })
    s.setCells([
      { row: r!, col: name, value: '桥盟街道社工站' },
      { row: r!, col: served, value: 17 },
    ])
    expect(s.getRow(r!)!.cells).toEqual({ [name]: '桥盟街道社工站', [served]: 17 })
  })

  it('does not write when a value is unchanged', () => {
    const { doc, s, name } = setup()
    const [r] = s.insertRows([{ [name]: 'A' }])
    const before = Y.encodeStateVector(doc)
    s.setCell(r!, name, 'A')
    expect(Y.encodeStateVector(doc)).toEqual(before)
  })

  it('deletes rows softly; restore brings them back with later edits', () => {
    const { s, name } = setup()
    const [a, b, c] = s.insertRows([{ [name]: 'A' }, { [name]: 'B' }, { [name]: 'C' }])
    s.deleteRows([b!])
    expect(s.rowIds()).toEqual([a, c])
    expect(s.getRow(b!)).toBeUndefined()
    expect(s.deletedRows().map((d) => d.id)).toEqual([b])
    s.setCell(b!, name, 'B2')
    s.restoreRows([b!])
    expect(s.rowIds()).toEqual([a, b, c])
    expect(s.getCell(b!, name)).toBe('B2')
  })

  it('moves rows keeping their relative order', () => {
    const { s, name } = setup()
    const ids = s.insertRows(['A', 'B', 'C', 'D', 'E'].map((v) => ({ [name]: v })))
    s.moveRows([ids[0]!, ids[2]!], { after: ids[4] })
    expect(s.readRows().map((r) => r.cells[name])).toEqual(['B', 'D', 'E', 'A', 'C'])
    s.moveRows([ids[4]!], { before: ids[1] })
    expect(s.readRows().map((r) => r.cells[name])).toEqual(['E', 'B', 'D', 'A', 'C'])
    s.moveRows([ids[3]!], {})
    expect(s.readRows().map((r) => r.cells[name])).toEqual(['E', 'B', 'A', 'C', 'D'])
  })

  it('sees its own writes inside one transaction', () => {
    const { wb, s, name } = setup()
    wb.transact(() => {
      const [a] = s.insertRows([{ [name]: 'A' }])
      const [b] = s.insertRows([{ [name]: 'B' }])
      s.insertRows([{ [name]: 'between' }], { after: a })
      s.setCell(b!, name, 'B2')
      expect(s.getCell(b!, name)).toBe('B2')
    })
    expect(s.readRows().map((r) => r.cells[name])).toEqual(['A', 'between', 'B2'])
  })

  it('a sheet created and filled in one transaction reads back', () => {
    const { wb } = setup()
    let id = ''
    wb.transact(() => {
      id = wb.addSheet('新表')
      const s = wb.sheet(id)
      const c = s.addColumn({ name: '名称', type: 'text' })
      s.insertRows([{ [c]: 'x' }, { [c]: 'y' }])
    }, CSV_IMPORT)
    expect(
      wb
        .sheet(id)
        .readRows()
        .map((r) => Object.values(r.cells)[0]),
    ).toEqual(['x', 'y'])
  })
})

describe('change feed', () => {
  it('reports added, removed, moved rows and changed cells with origin and locality', () => {
    const { wb, s, sheetId, name } = setup()
    const seen: WorkbookChange[] = []
    wb.onChange((c) => seen.push(c))
    const [a, b] = s.insertRows([{ [name]: 'A' }, { [name]: 'B' }])
    expect(seen.at(-1)!.sheets.get(sheetId)!.added).toEqual(new Set([a, b]))
    expect(seen.at(-1)!.origin).toBe(LOCAL_EDIT)
    expect(seen.at(-1)!.local).toBe(true)
    s.setCell(a!, name, 'A2')
    expect(seen.at(-1)!.sheets.get(sheetId)!.cells).toEqual(new Map([[a, new Set([name])]]))
    s.moveRows([a!], { after: b })
    expect(seen.at(-1)!.sheets.get(sheetId)!.moved).toEqual(new Set([a]))
    s.deleteRows([b!])
    expect(seen.at(-1)!.sheets.get(sheetId)!.removed).toEqual(new Set([b]))
    s.restoreRows([b!])
    expect(seen.at(-1)!.sheets.get(sheetId)!.added).toEqual(new Set([b]))
    s.addColumn({ name: 'x', type: 'text' })
    expect(seen.at(-1)!.sheets.get(sheetId)!.columns).toBe(true)
  })

  it('reports remote changes as not local and updates the replica index', () => {
    const { doc, s, sheetId, name } = setup()
    const [a] = s.insertRows([{ [name]: 'A' }])
    const r = replica(doc, 2, '李四', 2)
    const rs = r.wb.sheet(sheetId)
    expect(rs.getCell(a!, name)).toBe('A')
    const seen: WorkbookChange[] = []
    r.wb.onChange((c) => seen.push(c))
    s.setCell(a!, name, 'A3')
    syncAll(doc, r.doc)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.local).toBe(false)
    expect(rs.getCell(a!, name)).toBe('A3')
  })
})

describe('undo', () => {
  it('M6 undoes only this user’s changes, a bulk operation as one step', () => {
    const { doc, wb, s, sheetId, name } = setup()
    const [a] = s.insertRows([{ [name]: 'A' }])
    const r = replica(doc, 2, '李四', 2)
    const um = wb.createUndoManager()
    wb.transact(
      () => s.insertRows(Array.from({ length: 50 }, (_, i) => ({ [name]: `r${i}` }))),
      CSV_IMPORT,
    )
    expect(s.rowCount()).toBe(51)
    s.setCell(a!, name, 'mine')
    r.wb.sheet(sheetId).insertRows([{ [name]: 'theirs' }])
    syncAll(doc, r.doc)
    um.undo()
    expect(s.getCell(a!, name)).toBe('A')
    um.undo()
    expect(s.rowCount()).toBe(2)
    expect(
      s
        .readRows()
        .map((x) => x.cells[name])
        .sort(),
    ).toEqual(['A', 'theirs'])
    um.redo()
    expect(s.rowCount()).toBe(52)
  })
})

describe('concurrency semantics', () => {
  it('M1 different cells of the same row: both edits survive', () => {
    const { doc, s, sheetId, name, served } = setup()
    const [row] = s.insertRows([{ [name]: 'A', [served]: 1 }])
    const b = replica(doc, 2, '李四', 2)
    s.setCell(row!, name, 'A by 张三')
    b.wb.sheet(sheetId).setCell(row!, served, 99)
    syncAll(doc, b.doc)
    for (const wb of [s, b.wb.sheet(sheetId)]) {
      expect(wb.getRow(row!)!.cells).toEqual({ [name]: 'A by 张三', [served]: 99 })
    }
  })

  it('M2 same cell: one winner everywhere, the loser recoverable with author and time', () => {
    const { doc, s, sheetId, served, name } = setup()
    const [row] = s.insertRows([{ [name]: 'A', [served]: 1 }])
    const b = replica(doc, 2, '李四', 2)
    const bs = b.wb.sheet(sheetId)
    s.setCell(row!, served, 100)
    bs.setCell(row!, served, 200)
    syncAll(doc, b.doc)
    const winner = s.getCell(row!, served)
    expect(bs.getCell(row!, served)).toBe(winner)
    for (const sh of [s, bs]) {
      const conflicts = sh.conflicts()
      expect(conflicts).toHaveLength(1)
      const c = conflicts[0]!
      expect(c.kind).toBe('concurrent-edit')
      expect(c.lost.value).toBe(winner === 100 ? 200 : 100)
      expect(c.lost.by).toBe(winner === 100 ? '李四' : '张三')
      expect(c.lost.at).toBeGreaterThan(0)
      expect(
        sh
          .cellHistory(row!, served)
          .map((e) => e.value)
          .sort(),
      ).toEqual([100, 200])
    }
    // A later edit that has seen the winner is not a conflict.
    s.setCell(row!, served, 300)
    syncAll(doc, b.doc)
    expect(bs.conflicts()).toHaveLength(1)
  })

  it('M2 every write of a losing branch is reported, not only its first', () => {
    const { doc, s, sheetId, served, name } = setup()
    const [row] = s.insertRows([{ [name]: 'A', [served]: 1 }])
    const b = replica(doc, 2, '李四', 2)
    const bs = b.wb.sheet(sheetId)
    s.setCell(row!, served, 10)
    s.setCell(row!, served, 11)
    bs.setCell(row!, served, 20)
    syncAll(doc, b.doc)
    const winner = s.getCell(row!, served)
    const lost = s
      .conflicts()
      .map((c) => c.lost.value)
      .sort()
    expect(lost).toEqual(winner === 20 ? [10, 11] : [20])
    expect(
      bs
        .conflicts()
        .map((c) => c.lost.value)
        .sort(),
    ).toEqual(lost)
  })

  it('M2 an undone edit is not reported as a conflict', () => {
    const { wb, s, served, name } = setup()
    const [row] = s.insertRows([{ [name]: 'A', [served]: 1 }])
    const um = wb.createUndoManager()
    s.setCell(row!, served, 5)
    um.undo()
    expect(s.getCell(row!, served)).toBe(1)
    expect(s.conflicts()).toEqual([])
  })

  it('M3 inserts during moves: no duplicates, no loss, one order', () => {
    const { doc, s, sheetId, name } = setup()
    const ids = s.insertRows(['A', 'B', 'C', 'D'].map((v) => ({ [name]: v })))
    const b = replica(doc, 2, '李四', 2)
    const bs = b.wb.sheet(sheetId)
    s.insertRows([{ [name]: 'x1' }, { [name]: 'x2' }], { after: ids[1] })
    s.insertRows([{ [name]: 'y' }], { before: ids[0] })
    bs.moveRows([ids[1]!, ids[3]!], { before: ids[0] })
    bs.moveRows([ids[2]!], {})
    syncAll(doc, b.doc)
    expect(s.rowIds()).toEqual(bs.rowIds())
    expect(new Set(s.rowIds()).size).toBe(7)
    expect(
      s
        .readRows()
        .map((r) => r.cells[name])
        .sort(),
    ).toEqual(['A', 'B', 'C', 'D', 'x1', 'x2', 'y'].sort())
  })

  it('M3 concurrent inserts at the same spot with colliding keys still give one order', () => {
    const { doc, s, sheetId, name } = setup()
    const [a, z] = s.insertRows([{ [name]: 'A' }, { [name]: 'Z' }])
    const b = replica(doc, 2, '李四', 2)
    s.insertRows([{ [name]: 'm1' }], { after: a })
    b.wb.sheet(sheetId).insertRows([{ [name]: 'm2' }], { after: a })
    syncAll(doc, b.doc)
    expect(s.rowIds()).toEqual(b.wb.sheet(sheetId).rowIds())
    // Inserting between rows whose keys collided still lands between A and Z.
    const [n] = s.insertRows([{ [name]: 'n' }], { after: s.rowIds()[1] })
    expect(s.rowIds()[0]).toBe(a)
    expect(s.rowIds().at(-1)).toBe(z)
    expect(s.rowIds()).toContain(n)
  })

  it('M4 delete while another edits offline: row hidden everywhere, edit kept and restorable', () => {
    const { doc, s, sheetId, name, served } = setup()
    const [row, other] = s.insertRows([{ [name]: 'A' }, { [name]: 'B' }])
    const b = replica(doc, 2, '李四', 2)
    const bs = b.wb.sheet(sheetId)
    s.deleteRows([row!])
    bs.setCell(row!, served, 42)
    syncAll(doc, b.doc)
    for (const sh of [s, bs]) {
      expect(sh.rowIds()).toEqual([other])
      expect(sh.getRow(row!)).toBeUndefined()
      expect(sh.getAnyRow(row!)!.cells[served]).toBe(42)
      expect(sh.conflicts().some((c) => c.kind === 'edit-on-deleted-row' && c.rowId === row)).toBe(
        true,
      )
    }
    bs.restoreRows([row!])
    syncAll(doc, b.doc)
    expect(s.getRow(row!)!.cells).toEqual({ [name]: 'A', [served]: 42 })
  })

  it('M5 column deleted while another fills it; renamed while another edits', () => {
    const { doc, s, sheetId, name, served } = setup()
    const rows = s.insertRows([{ [name]: 'A' }, { [name]: 'B' }])
    const b = replica(doc, 2, '李四', 2)
    const bs = b.wb.sheet(sheetId)
    s.deleteColumn(served)
    s.renameColumn(name, '社工站')
    bs.setCells(rows.map((r, i) => ({ row: r, col: served, value: i + 10 })))
    bs.setCell(rows[0]!, name, 'A2')
    syncAll(doc, b.doc)
    for (const sh of [s, bs]) {
      expect(sh.columns().map((c) => c.name)).toEqual(['社工站'])
      expect(sh.getRow(rows[0]!)!.cells).toEqual({ [name]: 'A2' })
    }
    s.restoreColumn(served)
    syncAll(doc, b.doc)
    expect(bs.readRows().map((r) => r.cells[served])).toEqual([10, 11])
  })
})

describe('schema versions', () => {
  it('M7 opening before the server state arrives never overwrites the creator’s title', () => {
    const creator = makeDoc(1)
    Workbook.create(creator, { title: '淇县社工站台账' })
    for (let id = 2; id < 40; id++) {
      const early = makeDoc(id)
      Workbook.open(early)
      syncAll(creator, early)
      expect(Workbook.open(early).workbook.meta().title).toBe('淇县社工站台账')
    }
  })

  it('M7 opens an empty legacy doc by migrating it', () => {
    const doc = new Y.Doc()
    const r = Workbook.open(doc)
    expect(r.readOnly).toBe(false)
    expect(r.migrated).toEqual([1])
    expect(r.workbook.meta().schemaVersion).toBe(1)
    expect(Workbook.open(doc).migrated).toEqual([])
  })

  it('M7 opens a doc newer than the code read-only with a reason', () => {
    const doc = new Y.Doc()
    doc.getMap('meta').set('schemaVersion', 99)
    const r = Workbook.open(doc)
    expect(r.readOnly).toBe(true)
    expect(r.reason?.zh).toContain('只能查看')
    expect(() => r.workbook.addSheet('x')).toThrow(/read-only/)
    expect(doc.getMap('meta').get('schemaVersion')).toBe(99)
  })
})
