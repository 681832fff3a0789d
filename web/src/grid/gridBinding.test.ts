import { Workbook } from '@taizhang/shared'
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
  const stats: BindingStats = { transactions: 0, fullResets: 0 }
  const binding = makeGridBinding(wbB, sheetB, sink, (fn) => scheduled.push(fn), stats)
  const runFrame = () => {
    for (const fn of scheduled.splice(0)) fn()
  }
  return { sheetA, sheetB, col, rows, calls, binding, runFrame, stats }
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
    const set = calls.find((c) => c.kind === 'set')
    expect(set?.rows?.map((r) => r.cells[n])).toEqual([0, 10, 20])
    expect(set?.rows?.[0]?.cells[col]).toBe('a')
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
})
