/**
 * Regression for a bug the chaos runs found (offline window, same-cell race): when the losing side
 * of a same-cell conflict wrote the cell more than once, `Sheet.conflicts()` reports only that
 * side's first write (the sibling of an edit on the winner's chain) and not its last one, so the
 * value the user actually ended with is overwritten without a conflict record
 * (shared/src/model/sheet.ts, `conflicts()`: only edits with `chainPrevs.has(e.prevEditId)` count).
 */
import { describe, expect, it } from 'vitest'
import { Workbook } from '../../shared/src/index.js'
import { syncAll } from '../../shared/src/test/relay.js'
import { Y } from './deps.js'

describe('conflict record after concurrent multi-edit branches', () => {
  it("lists the losing side's last value, not only its first", () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    a.clientID = 1
    b.clientID = 2
    const wa = Workbook.create(a, { title: 't', author: { id: 'a', name: 'A' } })
    const sid = wa.addSheet('s')
    const sa = wa.sheet(sid)
    const col = sa.addColumn({ name: 'c', type: 'text' })
    const [row] = sa.insertRows([{ [col]: 'base' }])
    syncAll(a, b)
    const sb = Workbook.open(b, { author: { id: 'b', name: 'B' } }).workbook.sheet(sid)
    // Both offline: each side edits the same cell twice.
    sa.setCell(row!, col, 'A1')
    sa.setCell(row!, col, 'A2')
    sb.setCell(row!, col, 'B1')
    sb.setCell(row!, col, 'B2')
    syncAll(a, b)
    const final = sa.getCell(row!, col)
    expect(sb.getCell(row!, col)).toBe(final)
    const loserLast = final === 'A2' ? 'B2' : 'A2'
    const lost = sa.conflicts().map((c) => c.lost.value)
    expect(lost).toContain(loserLast)
  })
})
