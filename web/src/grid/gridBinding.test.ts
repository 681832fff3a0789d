import { seededRandom as prng, Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type BindingStats, makeGridBinding, type RowSink } from './gridBinding'
import type { RowData } from './rowData'

function setup() {
  const docA = new Y.Doc()
  const wbA = Workbook.create(docA, { title: 't' })
  const sheetId = wbA.addSheet('s')
  const sheetA = wbA.sheet(sheetId)
  const col = sheetA.addColumn({ name: 'c', type: 'text' })
  const rows = sheetA.insertRows([{ [col]: 'a' }, { [col]: 'b' }, { [col]: 'c' }])
  // B is a replica: updates from A arrive as remote transactions.
  const docB = new Y.Doc()
  Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA))
  const wbB = Workbook.open(docB).workbook
  const sheetB = wbB.sheet(sheetId)
  docA.on('update', (u: Uint8Array) => Y.applyUpdate(docB, u, 'remote'))
  const calls: {
    kind: string
    tx?: Parameters<RowSink['applyTransaction']>[0]
    rows?: RowData[]
  }[] = []
  const sink: RowSink = {
    applyTransaction: (tx) => calls.push({ kind: 'tx', tx }),
    setRowData: (r) => calls.push({ kind: 'set', rows: r }),
    onColumnsChanged: () => calls.push({ kind: 'columns' }),
  }
  const scheduled: (() => void)[] = []
  const stats: BindingStats = { transactions: 0, fullResets: 0, chunks: 0 }
  const binding = makeGridBinding(wbB, sheetB, sink, (fn) => scheduled.push(fn), stats)
  const runFrame = () => {
    for (const fn of scheduled.splice(0)) fn()
  }
  return { wbB, sheetA, sheetB, col, rows, calls, binding, runFrame, stats }
}

/** A fake grid that holds what the binding gave it, to compare with the sheet. */
function model(opts: { chunkRows: number }) {
  const base = setup()
  base.binding.dispose()
  const ids: string[] = base.sheetB.rowIds()
  const byId = new Map(base.sheetB.readRows().map((r) => [r.id, r]))
  const tasks: (() => void)[] = []
  const later = {
    get length() {
      return tasks.length
    },
    run: () => tasks.shift()?.(),
  }
  const sink: RowSink = {
    applyTransaction: (tx) => {
      base.calls.push({ kind: 'tx', tx })
      // Strict, as AG Grid warns about removing a row it doesn't have (a row deleted on two
      // replicas at once used to be reported removed twice).
      for (const r of tx.remove ?? []) {
        expect(byId.delete(r.id)).toBe(true)
        ids.splice(ids.indexOf(r.id), 1)
      }
      for (const r of tx.update ?? []) {
        expect(byId.has(r.id)).toBe(true)
        byId.set(r.id, r)
      }
      if (tx.add?.length) {
        for (const r of tx.add) expect(byId.has(r.id)).toBe(false)
        ids.splice(tx.addIndex ?? ids.length, 0, ...tx.add.map((r) => r.id))
        for (const r of tx.add) byId.set(r.id, r)
      }
    },
    setRowData: (rows) => {
      base.calls.push({ kind: 'set', rows })
      ids.splice(0, ids.length, ...rows.map((r) => r.id))
      byId.clear()
      for (const r of rows) byId.set(r.id, r)
    },
    onColumnsChanged: () => base.calls.push({ kind: 'columns' }),
  }
  const scheduled: (() => void)[] = []
  const binding = makeGridBinding(
    base.wbB,
    base.sheetB,
    sink,
    (fn) => scheduled.push(fn),
    base.stats,
    { chunkRows: opts.chunkRows, later: (fn) => tasks.push(fn) },
  )
  const grid = {
    ids,
    byId,
    binding,
    /** The grid shows exactly the sheet's rows, in order, with every live column's cells. */
    expectEqual: () => {
      const live = new Set(base.sheetB.columns().map((c) => c.id))
      const shown = ids.map((id) => ({
        id,
        cells: Object.fromEntries(Object.entries(byId.get(id)!.cells).filter(([k]) => live.has(k))),
      }))
      expect(shown).toEqual(base.sheetB.readRows())
    },
  }
  return {
    ...base,
    grid,
    later,
    runFrame: () => {
      for (const fn of scheduled.splice(0)) fn()
    },
  }
}

describe('grid binding', () => {
  it('turns a remote cell edit into an update of that one row, never a rowData reset', () => {
    const { sheetA, col, rows, calls, runFrame } = setup()
    sheetA.setCell(rows[1]!, col, 'B!')
    expect(calls).toEqual([])
    runFrame()
    expect(calls).toHaveLength(1)
    expect(calls[0]!.kind).toBe('tx')
    expect(calls[0]!.tx!.update!.map((r) => r.id)).toEqual([rows[1]])
    expect(calls[0]!.tx!.update![0]!.cells[col]).toBe('B!')
  })

  it('coalesces a burst of 1,000 remote edits into one grid transaction', () => {
    const { sheetA, col, rows, calls, runFrame, stats } = setup()
    for (let i = 0; i < 1000; i++) sheetA.setCell(rows[i % 3]!, col, `v${i}`)
    runFrame()
    expect(stats.transactions).toBe(1)
    expect(stats.fullResets).toBe(0)
    expect(calls[0]!.tx!.update).toHaveLength(3)
  })

  it('adds inserted rows at their index and removes deleted ones', () => {
    const { sheetA, rows, calls, runFrame } = setup()
    const [inserted] = sheetA.insertEmptyRows(1, { after: rows[0]! })
    sheetA.deleteRows([rows[2]!])
    runFrame()
    const add = calls.find((c) => c.tx?.add?.length)
    expect(add!.tx!.addIndex).toBe(1)
    expect(add!.tx!.add![0]!.id).toBe(inserted)
    const remove = calls.find((c) => c.tx?.remove?.length)
    expect(remove!.tx!.remove).toEqual([{ id: rows[2] }])
    expect(calls.some((c) => c.kind === 'set')).toBe(false)
  })

  it('re-reads rows when a column comes back, so its cells reappear (chaos seed 244017)', () => {
    const { sheetA, col, rows, calls, runFrame } = setup()
    const n = sheetA.addColumn({ name: '服务人次', type: 'integer' })
    sheetA.setCells(rows.map((row, i) => ({ row, col: n, value: i * 10 })))
    sheetA.deleteColumn(n)
    runFrame()
    calls.length = 0
    sheetA.restoreColumn(n)
    runFrame()
    // The column definitions first, then the rows already in the grid read again (an update,
    // not a reset of the row data).
    expect(calls[0]!.kind).toBe('columns')
    expect(calls.some((c) => c.kind === 'set')).toBe(false)
    const update = calls.find((c) => c.tx?.update?.length)!.tx!.update!
    expect(update.map((r) => r.cells[n])).toEqual([0, 10, 20])
    expect(update[0]!.cells[col]).toBe('a')
  })

  it('flushes local edits at once (same frame as the keypress)', () => {
    const { sheetB, col, rows, calls } = setup()
    sheetB.setCell(rows[0]!, col, 'local')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.tx!.update![0]!.cells[col]).toBe('local')
  })

  it('stops after dispose', () => {
    const { sheetA, col, rows, calls, runFrame, binding } = setup()
    binding.dispose()
    sheetA.setCell(rows[0]!, col, 'x')
    runFrame()
    expect(calls).toEqual([])
  })

  it('hands a big insert with a new column to the grid in chunks, lowest rows first, never a reset', () => {
    const { sheetA, rows, calls, runFrame, stats, grid, later } = model({ chunkRows: 4 })
    const before = grid.ids.slice()
    sheetA.insertRows(
      Array.from({ length: 10 }, (_, i) => ({ [sheetA.columns()[0]!.id]: `n${i}` })),
    )
    const extra = sheetA.addColumn({ name: '新列', type: 'text' })
    sheetA.setCell(rows[0]!, extra, 'x')
    runFrame()
    // Nothing of the 10 rows yet, nor the new column: they go in later tasks, the column
    // definitions first, then the rows 4 at a time.
    expect(grid.ids).toEqual(before)
    expect(calls.some((c) => c.kind === 'columns')).toBe(false)
    expect(grid.byId.get(rows[0]!)!.cells[extra]).toBe('x')
    expect(later.length).toBe(1)
    later.run()
    expect(calls.at(-1)!.kind).toBe('columns')
    expect(grid.ids).toEqual(before)
    later.run()
    expect(grid.ids.length).toBe(before.length + 4)
    // The rows already shown are read again after the new rows (their objects lack the column).
    while (later.length) later.run()
    expect(stats.chunks).toBe(1 + Math.ceil((10 + before.length) / 4))
    expect(calls.some((c) => c.kind === 'set')).toBe(false)
    grid.expectEqual()
  })

  it('reads a queued row when its chunk runs; a queued row deleted meanwhile is never added', () => {
    const { sheetA, calls, runFrame, grid, later } = model({ chunkRows: 3 })
    const col = sheetA.columns()[0]!.id
    const added = sheetA.insertRows(Array.from({ length: 9 }, (_, i) => ({ [col]: `n${i}` })))
    runFrame()
    later.run()
    sheetA.setCell(added[7]!, col, 'edited while queued')
    sheetA.deleteRows([added[8]!])
    // A remote deletion waiting for its frame is given to the grid before the next chunk.
    sheetA.deleteRows([added[0]!])
    later.run()
    later.run()
    runFrame()
    while (later.length) later.run()
    expect(grid.byId.get(added[7]!)!.cells[col]).toBe('edited while queued')
    expect(calls.flatMap((c) => c.tx?.add ?? []).some((r) => r.id === added[8])).toBe(false)
    grid.expectEqual()
  })

  it('flush() brings the grid up to date at once (a row inserted now can be focused)', () => {
    const { sheetB, grid, later } = model({ chunkRows: 2 })
    const col = sheetB.columns()[0]!.id
    sheetB.insertRows(Array.from({ length: 7 }, (_, i) => ({ [col]: `m${i}` })))
    expect(later.length).toBe(1)
    grid.binding.flush()
    grid.expectEqual()
  })

  it('ends equal to the sheet after random edits, inserts, deletes, moves and column changes', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rand = prng(seed)
      const { sheetA, sheetB, runFrame, grid, later } = model({ chunkRows: 1 + (seed % 5) })
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
      const deletedCols = new Map<typeof sheetA, string[]>([
        [sheetA, []],
        [sheetB, []],
      ])
      for (let step = 0; step < 60; step++) {
        const s = rand() < 0.3 ? sheetB : sheetA // local (B) or remote (A) writes
        const ids = s.rowIds()
        const cols = s.columns()
        const r = rand()
        if (r < 0.25)
          s.insertRows(
            Array.from({ length: 1 + Math.floor(rand() * 8) }, (_, i) => ({
              [cols[0]!.id]: `r${step}.${i}`,
            })),
            ids.length && rand() < 0.5 ? { after: pick(ids)! } : {},
          )
        else if (r < 0.4 && ids.length) s.setCell(pick(ids)!, pick(cols)!.id, `v${step}`)
        else if (r < 0.5 && ids.length) s.deleteRows([pick(ids)!])
        else if (r < 0.55 && ids.length > 1) s.moveRows([pick(ids)!], { before: ids[0]! })
        else if (r < 0.62) {
          const c = s.addColumn({ name: `c${step}`, type: 'text' })
          if (ids.length) s.setCell(pick(ids)!, c, `new${step}`)
        } else if (r < 0.68 && cols.length > 1) {
          const c = pick(cols.slice(1))!.id
          s.deleteColumn(c)
          deletedCols.get(s)!.push(c)
        } else if (r < 0.74 && deletedCols.get(s)!.length)
          s.restoreColumn(deletedCols.get(s)!.pop()!)
        else if (r < 0.87) runFrame()
        else later.run()
      }
      runFrame()
      while (later.length) later.run()
      grid.expectEqual()
    }
  })
})
