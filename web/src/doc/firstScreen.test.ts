import 'fake-indexeddb/auto'
import { Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { buildFirstScreen } from '../workbook/firstScreenBuild'
import { compactUpdates } from './compactUpdates'
import {
  FIRST_SCREEN_ROWS,
  type FirstScreenBody,
  makeFirstScreen,
  parseFirstScreen,
  readFirstScreen,
  refLabelKey,
  sameFingerprint,
} from './firstScreen'
import { IdbPersistence } from './IdbPersistence'
import { openDocDatabase, requestToPromise, UPDATES_STORE } from './idb'

let n = 0
const freshId = () => `fs-${Date.now()}-${n++}`

function body(): FirstScreenBody {
  return {
    title: '台账',
    sheets: [{ id: 's1', name: '月报' }],
    sheetId: 's1',
    columns: [
      {
        id: 'c1',
        name: '站点',
        type: 'text',
        constraints: {},
        format: {},
        width: 140,
        order: 'a0',
      },
    ],
    rows: [{ id: 'r1', cells: { c1: '五角场' } }],
    rowCount: 1,
    refLabels: {},
    sort: null,
    filter: null,
  }
}

/** Stores, as another tab would, an update this session never saw. */
async function storeForeignUpdate(db: IDBDatabase): Promise<void> {
  const other = new Y.Doc()
  other.getMap('x').set('k', 1)
  const tx = db.transaction(UPDATES_STORE, 'readwrite')
  tx.objectStore(UPDATES_STORE).add(Y.encodeStateAsUpdate(other))
  await new Promise((r) => (tx.oncomplete = r))
}

describe('first-screen record', () => {
  it('parses what makeFirstScreen makes, through a structured clone', () => {
    const rec = structuredClone(makeFirstScreen(body(), { lastKey: 7, count: 3 }, 1))
    const parsed = parseFirstScreen(rec)
    expect(parsed?.fingerprint).toEqual({ lastKey: 7, count: 3 })
    expect(parsed?.rows).toEqual(body().rows)
  })

  it('rejects records it cannot show exactly', () => {
    const ok = makeFirstScreen(body(), { lastKey: 7, count: 3 }, 1)
    const bad: unknown[] = [
      null,
      'x',
      { ...ok, v: 2 },
      { ...ok, fingerprint: { lastKey: 7 } },
      { ...ok, sort: [{ colId: 'c1', sort: 'asc' }] },
      { ...ok, filter: { c1: 'x' } },
      { ...ok, sheetId: 'other' },
      { ...ok, columns: [{ id: 'c1' }] },
      { ...ok, rows: [{ id: 'r1', cells: { c1: { nested: true } } }] },
      { ...ok, rows: [{ cells: {} }] },
      { ...ok, refLabels: { a: 1 } },
    ]
    for (const b of bad) expect(parseFirstScreen(b)).toBeNull()
  })

  it('compares fingerprints by highest key and count', () => {
    expect(sameFingerprint({ lastKey: 3, count: 2 }, { lastKey: 3, count: 2 })).toBe(true)
    expect(sameFingerprint({ lastKey: 3, count: 2 }, { lastKey: 4, count: 2 })).toBe(false)
    expect(sameFingerprint({ lastKey: 3, count: 2 }, { lastKey: 3, count: 1 })).toBe(false)
  })

  it('builds the first sheet’s columns, first rows and reference labels', () => {
    const wb = Workbook.create(new Y.Doc(), { title: '杨浦' })
    const s1 = wb.addSheet('站点')
    const s2 = wb.addSheet('社工')
    const name = wb.sheet(s2).addColumn({ name: '姓名', type: 'text' })
    const [who] = wb.sheet(s2).insertRows([{ [name]: '王芳' }])
    const site = wb.sheet(s1).addColumn({ name: '站点', type: 'text' })
    const ref = wb
      .sheet(s1)
      .addColumn({ name: '负责人', type: 'reference', format: { refSheet: s2, refColumn: name } })
    const rows = Array.from({ length: 100 }, (_, i) => ({
      [site]: `站点${i}`,
      [ref]: i === 0 ? who! : null,
    }))
    wb.sheet(s1).insertRows(rows)
    const b = buildFirstScreen(wb)!
    expect(b.sheetId).toBe(s1)
    expect(b.sheets.map((s) => s.name)).toEqual(['站点', '社工'])
    expect(b.columns.map((c) => c.name)).toEqual(['站点', '负责人'])
    expect(b.rows).toHaveLength(FIRST_SCREEN_ROWS)
    expect(b.rows.map((r) => r.id)).toEqual(wb.sheet(s1).rowIds().slice(0, FIRST_SCREEN_ROWS))
    expect(b.rows[5]?.cells[site]).toBe('站点5')
    expect(b.rowCount).toBe(100)
    expect(b.refLabels).toEqual({ [refLabelKey(ref, who!)]: '王芳' })
    expect(b.title).toBe('杨浦')
    expect(parseFirstScreen(makeFirstScreen(b, { lastKey: 1, count: 1 }))).not.toBeNull()
  })
})

describe('first-screen cache in IndexedDB', () => {
  async function session(id: string, compactThreshold?: number) {
    const doc = new Y.Doc()
    const p = new IdbPersistence(id, doc, {
      makeWorker: () => null,
      screenDebounceMs: 60_000,
      compactThreshold,
    })
    await p.whenLoaded
    const wb =
      doc.getMap('meta').size > 0
        ? Workbook.open(doc, {}).workbook
        : Workbook.create(doc, { title: 't' })
    p.setFirstScreenSource(() => buildFirstScreen(wb))
    return { doc, p, wb }
  }
  async function read(id: string) {
    const db = await openDocDatabase(id)
    try {
      return await readFirstScreen(db)
    } finally {
      db.close()
    }
  }

  it('is read back only while the stored updates are the ones it was made from', async () => {
    const id = freshId()
    const { p, wb } = await session(id)
    const sheet = wb.sheet(wb.addSheet('s'))
    const col = sheet.addColumn({ name: 'c', type: 'text' })
    const [row] = sheet.insertRows([{ [col]: 'v1' }])
    await p.flush()
    expect(await p.writeFirstScreenNow()).toBe(true)
    const first = await read(id)
    expect(first?.rows[0]?.cells[col]).toBe('v1')

    // A later write (this tab's): stale until rewritten.
    sheet.setCell(row!, col, 'v2')
    await p.flush()
    expect(await read(id)).toBeNull()
    expect(await p.writeFirstScreenNow()).toBe(true)
    expect((await read(id))?.rows[0]?.cells[col]).toBe('v2')

    // A compaction merges the records: the count changes, so the record is not used.
    const db = await openDocDatabase(id)
    const keys = await requestToPromise(
      db.transaction(UPDATES_STORE).objectStore(UPDATES_STORE).getAllKeys(),
    )
    await compactUpdates(db, keys[keys.length - 1] as number)
    db.close()
    expect(await read(id)).toBeNull()
    await p.destroy()
  })

  it('is not written while the store holds a record this doc does not (another tab’s)', async () => {
    const id = freshId()
    const { p, wb } = await session(id)
    const sheet = wb.sheet(wb.addSheet('s'))
    sheet.addColumn({ name: 'c', type: 'text' })
    await p.flush()
    expect(await p.writeFirstScreenNow()).toBe(true)
    expect(await read(id)).not.toBeNull()

    // Another tab stores an update this session never saw: the record goes stale, and this
    // session may not refresh it (its doc lacks that update).
    const db = await openDocDatabase(id)
    await storeForeignUpdate(db)
    db.close()
    expect(await read(id)).toBeNull()
    sheet.insertRows([{}])
    await p.flush()
    expect(await p.writeFirstScreenNow()).toBe(false)
    expect(await read(id)).toBeNull()
    await p.destroy()

    // A new session loads every record: it may write the record again.
    const again = await session(id)
    await again.p.flush()
    expect(await again.p.writeFirstScreenNow()).toBe(true)
    expect(await read(id)).not.toBeNull()
    await again.p.destroy()
  })

  it('is not written after a compaction of ours merged another tab’s record', async () => {
    const id = freshId()
    const { p, wb } = await session(id, 3)
    const sheet = wb.sheet(wb.addSheet('s'))
    const col = sheet.addColumn({ name: 'c', type: 'text' })
    await p.flush()
    const db = await openDocDatabase(id)
    await storeForeignUpdate(db)
    // Our next writes pass the threshold: the compaction merges every record, the other tab's
    // too, under our last key.
    for (let i = 0; i < 4; i++) {
      sheet.insertRows([{ [col]: `r${i}` }])
      await p.flush()
    }
    for (let i = 0; i < 50; i++) {
      const n = await requestToPromise(
        db.transaction(UPDATES_STORE).objectStore(UPDATES_STORE).count(),
      )
      if (n === 1) break
      await new Promise((r) => setTimeout(r, 20))
    }
    db.close()
    expect(await p.writeFirstScreenNow()).toBe(false)
    expect(await read(id)).toBeNull()
    await p.destroy()
  })

  it('is not written while an update is queued or being written', async () => {
    const id = freshId()
    const { p, wb } = await session(id)
    wb.addSheet('s')
    // Queued, not yet flushed: the doc holds more than the store.
    expect(await p.writeFirstScreenNow()).toBe(false)
    await p.flush()
    expect(await p.writeFirstScreenNow()).toBe(true)
    await p.destroy()
  })
})
