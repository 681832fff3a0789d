import { type Sheet, seededRandom, Workbook } from '@taizhang/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { changeKey, replicaOf, undoAndClassify } from './testUndo'
import { undoStepChanges } from './undoChanges'

/** One random local or remote edit of a sheet (cells, pastes, inserts, deletes, restores, moves, renames). */
function randomEdit(sheet: Sheet, cols: string[], rnd: () => number): void {
  const rows = sheet.rowIds()
  const row = () => rows[Math.floor(rnd() * rows.length)] as string
  const col = () => cols[Math.floor(rnd() * cols.length)] as string
  const r = rnd()
  if (rows.length === 0) sheet.insertRows([{ [col()]: Math.floor(rnd() * 100) }])
  else if (r < 0.45 || rows.length < 3) sheet.setCell(row(), col(), Math.floor(rnd() * 100))
  else if (r < 0.6)
    sheet.setCells([
      { row: row(), col: col(), value: Math.floor(rnd() * 100) },
      { row: row(), col: col(), value: null },
    ])
  else if (r < 0.7) sheet.insertRows([{ [col()]: Math.floor(rnd() * 100) }])
  else if (r < 0.75)
    sheet.insertRows([{ [col()]: 1, [col()]: 2 }, { [col()]: null }], { after: row() })
  else if (r < 0.85) sheet.deleteRows([row(), row()])
  else if (r < 0.9) sheet.restoreRows(sheet.deletedRows().map((d) => d.id))
  else if (r < 0.95) sheet.moveRows([row()], { before: row() })
  else sheet.renameColumn(col(), `c${Math.floor(rnd() * 1000)}`)
}

/**
 * Seeds and operations per seed (deeper: TZ_UNDO_SEEDS=400 TZ_UNDO_OPS=60, run once, passes).
 */
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env
const SEEDS = Number(env?.TZ_UNDO_SEEDS ?? 40)
const OPS = Number(env?.TZ_UNDO_OPS ?? 25)

describe('access-client: the undo prediction against the real undo, random histories', () => {
  it('every change the server would see in an undo or redo is predicted (seeded, with remote edits)', () => {
    let steps = 0
    let exact = 0
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rnd = seededRandom(seed)
      const remote = Workbook.create(new Y.Doc(), { title: 't', author: { id: 'r', name: '乙' } })
      const rs = remote.sheet(remote.addSheet('表'))
      const cols = [rs.addColumn({ name: 'a', type: 'integer' })]
      cols.push(rs.addColumn({ name: 'b', type: 'integer' }))
      rs.insertRows([{ [cols[0]!]: 1 }, { [cols[0]!]: 2 }, { [cols[1]!]: 3 }, { [cols[1]!]: 4 }])
      const { wb, um, sync } = replicaOf(remote, { id: 'l', name: '甲' })
      const sheet = wb.sheet(rs.id)
      for (let op = 0; op < OPS; op++) {
        const r = rnd()
        if (r < 0.35) randomEdit(sheet, cols, rnd)
        else if (r < 0.5) randomEdit(rs, cols, rnd)
        else if (r < 0.6) sync()
        else {
          const direction = r < 0.85 ? 'undo' : 'redo'
          const predicted = (undoStepChanges(wb, um, direction) ?? []).map(changeKey)
          const actual = undoAndClassify(wb, um, direction).map(changeKey)
          const missed = actual.filter((c) => !predicted.includes(c))
          expect({ seed, op, direction, missed }).toEqual({ seed, op, direction, missed: [] })
          steps++
          if (predicted.length === actual.length) exact++
        }
      }
    }
    // The mirror is meant to be exact; over-prediction is allowed but should stay rare.
    expect(steps).toBeGreaterThan(100)
    expect(exact / steps).toBeGreaterThan(0.9)
  })
})
